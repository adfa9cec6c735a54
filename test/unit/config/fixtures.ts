/**
 * Small config fixtures for the config tests: valid configs as object literals to tweak, and
 * project trees (config source, build contexts) written to a temp dir that is removed afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import type { ResolvedConfig } from '../../../src/config/resolved.js';
import { validateConfig } from '../../../src/config/validate.js';
import { isMultiarchError, type MultiarchError } from '../../../src/errors/multiarch-error.js';

export const CONFIG_FILE = '/project/multiarch.config.ts';

/** An image that passes validation; `extra` overrides or adds fields (including wrong ones). */
export function image(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { context: './web', platforms: ['linux/amd64', 'linux/arm64'], tags: ['v1'], ...extra };
}

export function config(images: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { registries: { hub: { url: 'docker.io' } }, images, ...extra };
}

/** Validates and insists on success, for tests about what a good config turns into. */
export function resolve(input: unknown): ResolvedConfig {
  const result = validateConfig(input, CONFIG_FILE);
  if (!result.ok) throw new Error(`expected a valid config, got ${JSON.stringify(result.issues, null, 2)}`);
  return result.config;
}

/** The issues of a config that must be invalid. */
export function issuesOf(input: unknown) {
  const result = validateConfig(input, CONFIG_FILE);
  if (result.ok) throw new Error('expected the config to be invalid');
  return result.issues;
}

/** Writes `files` (path → content; a path ending in "/" is an empty directory) under a fresh temp dir. */
export function writeProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multiarch-config-'));
  created.push(dir);
  for (const [name, content] of Object.entries(files)) {
    const target = path.join(dir, name);
    if (name.endsWith('/')) {
      fs.mkdirSync(target, { recursive: true });
      continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
  return dir;
}

const created: string[] = [];
afterAll(() => {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

export const DOCKERFILE = 'FROM scratch\n';

/** A project with `multiarch.config.ts` and a `web/` context holding a Dockerfile. */
export function project(config: string, files: Record<string, string> = {}): string {
  return writeProject({ 'multiarch.config.ts': config, 'web/Dockerfile': DOCKERFILE, ...files });
}

/** The MultiarchError loading the config in `cwd` throws. */
export async function loadError(cwd: string, file?: string): Promise<MultiarchError> {
  try {
    await loadConfig({ cwd, ...(file ? { file } : {}) });
  } catch (error) {
    if (isMultiarchError(error)) return error;
    throw error;
  }
  throw new Error('expected the config to fail');
}

/** Source lines joined into a file. */
export const lines = (...l: string[]) => `${l.join('\n')}\n`;
