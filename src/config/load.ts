/**
 * Finding and running the user's `multiarch.config.ts`, then validating what it exports. TypeScript
 * configs load without a build step, with `multiarch` aliased to the copy that is running, so a
 * config works whether or not its project installs multiarch: run by multiarch itself when Sucrase
 * takes every file it reaches (config-graph.ts, evaluate-config.ts), through jiti otherwise. Every problem is
 * reported at once as one error whose details point into the source (file:line:col and a frame).
 * Edge: reads the file system and runs the config.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { MultiarchError } from '../errors/multiarch-error.js';
import { formatIssues } from './format-issues.js';
import type { ConfigIssue } from './issue.js';
import { findSyntaxError, helperLocationFromStack, locateIssues, locationFromStack } from './locate.js';
import { isLayoutUrl, parseLayoutUrl } from './registry-url.js';
import type { ResolvedConfig } from './resolved.js';
import { settleConfig } from '../sys/settle-config.js';
import { validateConfig } from './validate.js';
import { isFile, readOrUndefined } from './maybe-file.js';

/** Looked for in this order, in the working directory only. */
export const CONFIG_FILE_NAMES = ['multiarch.config.ts', 'multiarch.config.mts', 'multiarch.config.js', 'multiarch.config.mjs'] as const;

export interface LoadConfigOptions {
  readonly cwd: string;
  /** An explicit config path (`--config`), relative to `cwd`. */
  readonly file?: string;
}

export interface LoadConfigResult {
  /** Absolute path of the config file. */
  readonly file: string;
  readonly config: ResolvedConfig;
}

/** The config file's absolute path: `explicit` if given, else the first default name in `cwd`. */
export function findConfigFile(cwd: string, explicit?: string): string {
  if (explicit !== undefined) {
    const file = path.resolve(cwd, explicit);
    if (isFile(file)) return file;
    throw new MultiarchError('E_CONFIG_NOT_FOUND', `config file ${explicit} not found (looked for ${file})`, {
      hint: 'check the --config path; it is relative to the current directory',
    });
  }
  for (const name of CONFIG_FILE_NAMES) {
    const file = path.join(cwd, name);
    if (isFile(file)) return file;
  }
  throw new MultiarchError('E_CONFIG_NOT_FOUND', `no multiarch.config.ts in ${cwd}`, {
    hint: `run multiarch in the directory that holds the config, pass --config <file>, or create one of ${CONFIG_FILE_NAMES.join(', ')}`,
  });
}

export async function loadConfig(options: LoadConfigOptions): Promise<LoadConfigResult> {
  const file = findConfigFile(options.cwd, options.file);
  const shown = displayName(options.cwd, file);
  const input = await importConfig(file, shown);
  const validated = validateConfig(input, file);
  const issues = [...(validated.ok ? [] : validated.issues), ...checkFiles(input, path.dirname(file)), ...checkLayoutDirs(input, path.dirname(file))];
  if (validated.ok && issues.length === 0) return { file, config: validated.config };
  const source = fs.readFileSync(file, 'utf8');
  const helpers = new Map<string, { name: string; source: string }>();
  const readFile = (helper: string) => {
    const text = readOrUndefined(helper);
    if (text !== undefined) helpers.set(helper, { name: displayName(options.cwd, helper), source: text });
    return text;
  };
  const located = await locateIssues(file, source, issues, { readFile });
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  throw new MultiarchError('E_CONFIG_INVALID', `${shown}: ${count} in the config`, {
    details: formatIssues(located, { file: shown, source, others: helpers }),
    hint: 'fix the fields above; nothing was built or pushed',
  });
}

/** The package's own entry, which `import … from 'multiarch'` in a config resolves to. */
export function packageEntry(): string {
  const js = fileURLToPath(new URL('../index.js', import.meta.url));
  // Running from source (vitest, tsx) there is no compiled index.js next to this file.
  return fs.existsSync(js) ? js : js.replace(/\.js$/, '.ts');
}

async function importConfig(file: string, shown: string): Promise<unknown> {
  return settleConfig(shown, () => runConfig(file, shown));
}

async function runConfig(file: string, shown: string): Promise<unknown> {
  const entry = packageEntry();
  // multiarch's own API, loaded once as the ES module it is and handed to the config as is.
  const [api, graph, { evaluateConfig }] = await Promise.all([
    import(pathToFileURL(entry).href) as Promise<unknown>,
    // The config's files, read and compiled before any of it runs (while the API's modules load):
    // a config Sucrase takes whole runs without jiti.
    import('./config-graph.js').then(({ configGraph }) => configGraph(file)),
    import('./evaluate-config.js'),
  ]);
  let mod: unknown;
  try {
    mod = graph ? await evaluateConfig(graph, api) : await importWithJiti(file, entry, api);
  } catch (error) {
    throw await loadError(file, shown, error);
  }
  if (typeof mod !== 'object' || mod === null || !('default' in mod)) {
    throw new MultiarchError('E_CONFIG_LOAD', `${shown} has no default export`, {
      hint: 'export the config: export default defineConfig({ images: { … } })',
    });
  }
  let config: unknown;
  try {
    config = await (mod as { default: unknown }).default;
  } catch (error) {
    throw new MultiarchError('E_CONFIG_LOAD', `${shown}: the config's default export rejected: ${messageOf(error)}`, {
      hint: 'the promise the config exports must resolve to the config object',
      cause: error,
    });
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    const what = Array.isArray(config) ? 'an array' : config === null ? 'null' : typeof config;
    throw new MultiarchError('E_CONFIG_LOAD', `${shown}: the default export is ${what}, not a config object`, {
      hint: 'export the config object: export default defineConfig({ images: { … } })',
    });
  }
  return config;
}

/** The config's module exports through jiti: what config-graph.ts leaves to it (Babel, JavaScript files, odd imports). */
export async function importWithJiti(file: string, entry: string, api: unknown): Promise<unknown> {
  // Required, not imported: jiti is CommonJS, and importing it from ESM has Node scan its 190 kB
  // for export names first (~40 ms of a run); loaded here, only when a config needs it.
  const { createJiti } = createRequire(import.meta.url)('jiti') as typeof import('jiti');
  const { configTransform } = await import('./load-transform.js');
  const jiti = createJiti(import.meta.url, {
    alias: { multiarch: entry, 'npm:multiarch': entry },
    virtualModules: { multiarch: api, 'npm:multiarch': api },
    // Sucrase for what a config usually holds, jiti's Babel for the rest (see load-transform.ts).
    transform: configTransform,
    // A long-running process (watch, tests) must see the file as it is now. The transform cache on
    // disk is keyed by the source's content, so it is safe to keep (it saves ~0.1 s a run).
    moduleCache: false,
    // Interop would merge the default export into the namespace: a missing default would read as
    // the namespace itself and `export default null` would crash inside jiti.
    interopDefault: false,
  });
  return jiti.import(file);
}

/** Why the config could not run: a syntax error (located by TypeScript), or what it threw, and where. */
async function loadError(file: string, shown: string, error: unknown): Promise<MultiarchError> {
  const source = readOrUndefined(file);
  const syntax = source === undefined ? undefined : await findSyntaxError(file, source);
  if (syntax && source !== undefined) {
    return new MultiarchError('E_CONFIG_LOAD', `${shown} has a syntax error`, {
      details: formatIssues([{ path: [], ...syntax }], { file: shown, source }),
      hint: 'fix the syntax at the marked spot; nothing was built or pushed',
      cause: error,
    });
  }
  const message = messageOf(error);
  const stack = error instanceof Error ? error.stack : undefined;
  const location = locationFromStack(stack, file);
  // Raised in a helper module the config imports: point there first, then at the config's call.
  const helper = helperLocationFromStack(stack, file, path.dirname(file));
  const others = new Map<string, { name: string; source?: string }>();
  if (helper?.file) {
    const helperSource = readOrUndefined(helper.file);
    const name = path.join(path.dirname(shown), path.relative(path.dirname(file), helper.file));
    others.set(helper.file, { name, ...(helperSource === undefined ? {} : { source: helperSource }) });
  }
  const frames = [
    ...(helper ? [{ path: [], message, location: helper }] : []),
    ...(location ? [{ path: [], message: helper ? `(${others.get(helper.file!)?.name} is reached from here)` : message, location }] : []),
  ];
  const missing = /Cannot find (?:module|package) ['"]?([^'"\s]+)/.exec(message);
  return new MultiarchError('E_CONFIG_LOAD', `${shown} ${frames.length > 0 ? 'threw while loading' : 'failed to load'}: ${message}`, {
    ...(frames.length > 0 ? { details: formatIssues(frames, { file: shown, others, ...(source === undefined ? {} : { source }) }) } : {}),
    hint: missing
      ? `install ${missing[1]} in the config's project, or remove the import`
      : 'fix the config so that it runs: it is plain TypeScript, evaluated when multiarch starts',
    cause: error,
  });
}

/** Contexts and Dockerfiles must exist; checked on the raw input so it adds to schema issues. */
function checkFiles(input: unknown, dir: string): ConfigIssue[] {
  const images = (input as { images?: unknown }).images;
  if (typeof images !== 'object' || images === null) return [];
  const issues: ConfigIssue[] = [];
  for (const [name, image] of Object.entries(images)) {
    const { context, dockerfile } = (image ?? {}) as { context?: unknown; dockerfile?: unknown };
    if (typeof context !== 'string' || context === '') continue;
    const contextDir = path.resolve(dir, context);
    const at = ['images', name, 'context'];
    if (!fs.existsSync(contextDir)) {
      issues.push({
        path: at,
        message: `context "${context}" does not exist (looked in ${contextDir})`,
        hint: "the context is relative to the config file's directory",
      });
      continue;
    }
    if (!fs.statSync(contextDir).isDirectory()) {
      issues.push({ path: at, message: `context "${context}" is not a directory (${contextDir})`, hint: 'point context at the directory to build' });
      continue;
    }
    const named = typeof dockerfile === 'string' && dockerfile !== '';
    const dockerfilePath = path.resolve(contextDir, named ? dockerfile : 'Dockerfile');
    if (isFile(dockerfilePath)) continue;
    issues.push(
      named
        ? {
            path: ['images', name, 'dockerfile'],
            message: `dockerfile "${dockerfile}" does not exist (looked for ${dockerfilePath})`,
            hint: 'the dockerfile is relative to the context directory',
          }
        : {
            path: at,
            message: `context "${context}" has no Dockerfile (looked for ${dockerfilePath})`,
            hint: 'add a Dockerfile to the context, or set dockerfile to the one to use',
          },
    );
  }
  return issues;
}

/** An `oci:` target must be a directory, or not exist yet (apply creates it). */
function checkLayoutDirs(input: unknown, dir: string): ConfigIssue[] {
  const registries = (input as { registries?: unknown }).registries;
  if (typeof registries !== 'object' || registries === null) return [];
  const issues: ConfigIssue[] = [];
  for (const [name, registry] of Object.entries(registries)) {
    const url = (registry as { url?: unknown } | null)?.url;
    if (typeof url !== 'string' || !isLayoutUrl(url)) continue;
    const parsed = parseLayoutUrl(url, dir);
    if (!parsed.ok) continue;
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(parsed.dir);
    } catch {
      continue;
    }
    if (stat.isDirectory()) continue;
    issues.push({
      path: ['registries', name, 'url'],
      message: `${parsed.dir} exists and is not a directory, so it cannot hold an OCI layout`,
      hint: 'point oci: at a directory (it is created if missing), e.g. "oci:./.multiarch/oci"',
    });
  }
  return issues;
}

/** The config as errors name it: relative to where the user ran multiarch. */
function displayName(cwd: string, file: string): string {
  return path.relative(cwd, file) || path.basename(file);
}



function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
