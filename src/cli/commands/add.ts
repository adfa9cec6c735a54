/**
 * `multiarch add image` and `multiarch add platform`: edit the config in place with ts-morph,
 * keeping its formatting and comments, validate the result by loading it, then write it. An edit
 * that cannot be made safely is refused with where and what to change by hand.
 */
import fs from 'node:fs';
import path from 'node:path';
import { findConfigFile, loadConfig, type LoadConfigResult } from '../../config/load.js';
import { formatIssues } from '../../config/format-issues.js';
import { formatPlatform } from '../../config/platform.js';
import { addImage, parsePublishSpec, type EditResult, type PublishTarget } from '../../config-edit/add-image.js';
import { addPlatform } from '../../config-edit/add-platform.js';
import { EditRefusal } from '../../config-edit/static-config.js';
import { writeConfig } from '../../config-edit/write-config.js';
import { MultiarchError, isMultiarchError } from '../../errors/multiarch-error.js';
import { parsePlatformList } from '../../scaffold/create-init-draft.js';
import type { ConfigCommand } from '../config-args.js';
import type { CliIo } from '../io.js';

type AddImageOptions = Extract<ConfigCommand, { command: 'add-image' }>;
type AddPlatformOptions = Extract<ConfigCommand, { command: 'add-platform' }>;

export async function addImageCommand(options: AddImageOptions, io: CliIo): Promise<number> {
  const file = findConfigFile(io.cwd, options.config);
  const { config } = await loadOriginal(io.cwd, file, true);
  if (config.images[options.name]) {
    throw new MultiarchError('E_CONFIG_EDIT', `${shown(io, file)} already has an image "${options.name}"; nothing was changed`, {
      hint: 'choose another name, or edit that image by hand',
    });
  }
  const platforms = options.platforms.length ? usageResult(parsePlatformList(options.platforms), '--platform') : undefined;
  const registries = Object.values(config.registries).map((r) => ({ key: r.name, host: r.host }));
  const publish: PublishTarget[] = [];
  for (const spec of options.publish) {
    const parsed = parsePublishSpec(spec, registries, publish);
    if (!parsed.ok) throw new MultiarchError('E_USAGE', parsed.message, { hint: 'see `multiarch add --help`' });
    publish.push(parsed.target);
  }
  const relative = path.relative(config.dir, path.resolve(io.cwd, options.context)).split(path.sep).join('/');
  const context = relative === '' ? '.' : relative.startsWith('.') ? relative : `./${relative}`;
  const first = Object.values(config.images)[0];
  const defaults = first && { platforms: first.platforms.map(formatPlatform), tags: first.tags };
  const tm = await import('ts-morph');
  const source = fs.readFileSync(file, 'utf8');
  const request = {
    name: options.name,
    context,
    ...(options.dockerfile ? { dockerfile: options.dockerfile } : {}),
    ...(platforms ? { platforms } : {}),
    ...(options.tags.length ? { tags: options.tags } : {}),
    publish,
  };
  const result = edit(io, file, source, () => addImage(tm, file, source, request, defaults, { readFile: readOrUndefined }));
  return finish(io, file, result, options.dryRun, `add image ${options.name}`);
}

export async function addPlatformCommand(options: AddPlatformOptions, io: CliIo): Promise<number> {
  const [platform] = usageResult(parsePlatformList([options.platform]), 'add platform');
  if (!platform) throw new MultiarchError('E_USAGE', 'multiarch add platform needs a platform, e.g. linux/arm/v7');
  const file = findConfigFile(io.cwd, options.config);
  // An invalid config may be what this fixes (a ref() base lacking the platform): edit it anyway.
  const loaded = await loadOriginal(io.cwd, file, false);
  if (loaded) {
    const missing = options.images.filter((name) => !loaded.config.images[name]);
    if (missing.length) {
      throw new MultiarchError('E_USAGE', `--image ${missing[0]}: there is no image "${missing[0]}" in ${shown(io, file)}`, {
        hint: `images are: ${Object.keys(loaded.config.images).join(', ')}`,
      });
    }
  }
  const have = loaded && new Set(Object.values(loaded.config.images).filter((i) => i.platforms.some((p) => formatPlatform(p) === platform)).map((i) => i.name));
  const tm = await import('ts-morph');
  const source = fs.readFileSync(file, 'utf8');
  const request = { platform, ...(options.images.length ? { images: options.images } : {}), ...(have ? { have } : {}) };
  const result = edit(io, file, source, () => addPlatform(tm, file, source, request, { readFile: readOrUndefined }));
  return finish(io, file, result, options.dryRun, `add platform ${platform}`);
}

/** The config as it is; `required`: it must load and validate, else only its syntax must be sound. */
async function loadOriginal(cwd: string, file: string, required: true): Promise<LoadConfigResult>;
async function loadOriginal(cwd: string, file: string, required: false): Promise<LoadConfigResult | undefined>;
async function loadOriginal(cwd: string, file: string, required: boolean): Promise<LoadConfigResult | undefined> {
  try {
    return await loadConfig({ cwd, file });
  } catch (error) {
    if (!required && isMultiarchError(error) && error.code === 'E_CONFIG_INVALID') return undefined;
    if (isMultiarchError(error) && (error.code === 'E_CONFIG_INVALID' || error.code === 'E_CONFIG_LOAD')) {
      throw new MultiarchError(error.code, error.message, {
        ...(error.details ? { details: error.details } : {}),
        hint: 'the config must load before it can be edited: fix it first; nothing was changed',
      });
    }
    throw error;
  }
}

/** Runs an edit; a refusal becomes an error pointing at the code that stopped it. */
function edit(io: CliIo, file: string, source: string, run: () => EditResult): EditResult {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof EditRefusal)) throw error;
    const other = error.location?.file;
    const others = new Map(other ? [[other, { name: path.relative(io.cwd, other), ...withSource(other) }]] : []);
    const issue = { path: [], message: error.message, ...(error.location ? { location: error.location } : {}) };
    throw new MultiarchError('E_CONFIG_EDIT', `${shown(io, file)} is too dynamic to edit here safely; nothing was changed`, {
      details: formatIssues([issue], { file: shown(io, file), source, others }),
      hint: error.hint,
    });
  }
}

async function finish(io: CliIo, file: string, result: EditResult, dryRun: boolean, doing: string): Promise<number> {
  const unchanged = result.text === fs.readFileSync(file, 'utf8');
  if (!unchanged) await writeConfig(file, result.text, { cwd: io.cwd, dryRun, doing });
  if (dryRun) {
    io.stdout(result.text);
    for (const note of result.notes) io.stderr(`${note}\n`);
    return 0;
  }
  io.stdout(`${unchanged ? 'Nothing to change in' : 'Updated'} ${shown(io, file)}:\n${result.notes.map((n) => `  ${n}\n`).join('')}`);
  return 0;
}

function usageResult<T>(result: { ok: true; value: T } | { ok: false; message: string }, what: string): T {
  if (!result.ok) throw new MultiarchError('E_USAGE', `${what}: ${result.message}`, { hint: 'e.g. linux/amd64, linux/arm64, linux/arm/v7' });
  return result.value;
}

function shown(io: CliIo, file: string): string {
  return path.relative(io.cwd, file) || path.basename(file);
}

function withSource(file: string): { source?: string } {
  const source = readOrUndefined(file);
  return source === undefined ? {} : { source };
}

function readOrUndefined(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
