/**
 * The docker CLI's configuration as the CLI itself finds it: the directory is `$DOCKER_CONFIG`, or
 * `~/.docker` when that is unset or empty (docker/cli `config.Dir`), and `config.json` in it. A file
 * that is missing or not JSON reads as empty, as the CLI goes on with defaults then. Edge: reads
 * one file.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function cliConfigDir(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker');
}

/** The file's top-level object; anything may be in it, so each field is checked where it is read. */
export function readCliConfig(env: NodeJS.ProcessEnv): Readonly<Record<string, unknown>> {
  try {
    const parsed = JSON.parse(readFileSync(path.join(cliConfigDir(env), 'config.json'), 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
