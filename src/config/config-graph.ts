/**
 * Every file a config reaches, read, transformed and compiled before any of it runs, so that
 * multiarch can run the config itself (evaluate-config.ts) instead of through jiti: loading jiti
 * (190 kB to compile and start) and its transform cache on disk cost ≈20–30 ms of every start.
 *
 * Only where running it ourselves gives what jiti gives: every file is TypeScript that Sucrase
 * takes (load-transform.ts decides, as it does for jiti) or JSON, every relative import names the
 * file jiti would resolve, and `require` is only ever called with a literal name. Anything else — a
 * file for Babel, a JavaScript file (jiti runs some of those natively), an import that does not
 * resolve or could resolve elsewhere under jiti — leaves the whole config to jiti, decided before a
 * line of it runs: the config runs once, and its errors are jiti's. Edge: reads the file system.
 */
import fs from 'node:fs';
import path from 'node:path';
import type vm from 'node:vm';
import { HANDED_OVER, sucraseModule } from './load-transform.js';
import { isFile, readOrUndefined } from './maybe-file.js';

/** What one `require(specifier)` of a module gives. */
export type Required = { readonly kind: 'file'; readonly file: string } | { readonly kind: 'builtin' } | { readonly kind: 'api' };

export interface GraphModule {
  readonly kind: 'module';
  readonly file: string;
  /** jiti's module wrapper around Sucrase's output, compiled with the file's path for stack frames. */
  readonly script: vm.Script;
  readonly requires: ReadonlyMap<string, Required>;
}

export interface GraphJson {
  readonly kind: 'json';
  readonly file: string;
  readonly value: object;
}

export interface ConfigGraph {
  /** The config file; the one module run in an async wrapper (top-level await, as jiti.import). */
  readonly entry: string;
  readonly files: ReadonlyMap<string, GraphModule | GraphJson>;
}

/** The config's files, or undefined when jiti must run the config (see the header). */
export function configGraph(entry: string): ConfigGraph | undefined {
  const files = new Map<string, GraphModule | GraphJson>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    const node = readNode(file, file === entry);
    if (!node) return undefined;
    files.set(file, node);
    if (node.kind === 'json') continue;
    for (const required of node.requires.values()) if (required.kind === 'file') pending.push(required.file);
  }
  return { entry, files };
}

// A `require` that is not a call with a literal name (`require.resolve`, `const r = require`, a
// comment) could ask for anything at run time, which only jiti can serve.
const OTHER_REQUIRE = /\brequire\b(?!\s*\(\s*['"])/;

function readNode(file: string, entry: boolean): GraphModule | GraphJson | undefined {
  const source = readOrUndefined(file);
  if (source === undefined) return undefined;
  if (!entry && file.endsWith('.json')) {
    // As Node's require reads it (jiti hands JSON to it). A bare number or string is left to jiti.
    try {
      const value: unknown = JSON.parse(source.charCodeAt(0) === 0xfeff ? source.slice(1) : source);
      return typeof value === 'object' && value !== null ? { kind: 'json', file, value } : undefined;
    } catch {
      return undefined;
    }
  }
  // .js, .mjs and .cjs files jiti may run natively, as Node would, rather than transform them.
  if (!/\.[cm]?ts$/.test(file)) return undefined;
  // The options jiti's transform gets: an import (the entry) is async, a require is not.
  const compiled = sucraseModule({ source, filename: file, ts: true, async: entry, jsx: false });
  if (!compiled || OTHER_REQUIRE.test(compiled.code)) return undefined;
  const requires = new Map<string, Required>();
  for (const specifier of compiled.requires) {
    if (HANDED_OVER.has(specifier)) requires.set(specifier, { kind: 'api' });
    else if (!specifier.startsWith('.') && !specifier.startsWith('/')) requires.set(specifier, { kind: 'builtin' });
    else {
      const resolved = resolveImport(specifier, file);
      if (resolved === undefined) return undefined;
      requires.set(specifier, { kind: 'file', file: resolved });
    }
  }
  return { kind: 'module', file, script: compiled.script, requires };
}

/** jiti's default `extensions`, in its order (its resolver tries each after the name itself). */
const EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.tsx', '.mts', '.cts', '.mtsx', '.ctsx'];
const JS_EXTENSION = /\.(c|m)?j(sx?)$/;

/**
 * The file jiti resolves a relative or absolute `specifier` imported by `from` to, where that is
 * certain. jiti asks mlly first (the name, each extension, `/index` with each — from the file's
 * directory, then as if the file were a directory, a quirk that finds `../x` one level down), then
 * Node's require.resolve (adds `.json`, `.node`, package.json `main`), then each extension again
 * through require.resolve and `./x.js` as `./x.ts`. Taken here: mlly's first answer, `./x` as
 * `./x.json`, and `./x.js` as `./x.ts` when nothing named `x.js` or `x.js.*` is there to be found
 * first; anything else is left to jiti.
 */
export function resolveImport(specifier: string, from: string): string | undefined {
  // URL syntax (query, hash, escapes), and directories named as such, resolve otherwise in mlly.
  if (/[?#%\\:]/.test(specifier) || specifier.endsWith('/') || /(^|\/)\.\.?$/.test(specifier)) return undefined;
  if (path.isAbsolute(specifier) && isFile(specifier)) return path.resolve(specifier);
  const target = path.resolve(path.dirname(from), specifier);
  const found = firstFile(target);
  if (found) return fs.realpathSync(found);
  // mlly's second try, from a path inside the importing file: only a specifier climbing out of its
  // directory can land on something there.
  if (!path.isAbsolute(specifier) && path.relative(path.dirname(from), target).startsWith('..')) {
    if (firstFile(path.resolve(from, specifier))) return undefined;
  }
  if (isFile(`${target}.json`)) return fs.realpathSync(`${target}.json`);
  const renamed = target.replace(JS_EXTENSION, '.$1t$2');
  if (renamed === target || !isFile(renamed)) return undefined;
  const name = path.basename(target);
  const others = readdirOrEmpty(path.dirname(target)).some((entry) => entry === name || entry.startsWith(`${name}.`));
  return others ? undefined : fs.realpathSync(renamed);
}

/** mlly's candidates for one base: the path, then each extension, then `/index` with each. */
function firstFile(target: string): string | undefined {
  if (isFile(target)) return target;
  for (const ext of EXTENSIONS) if (isFile(target + ext)) return target + ext;
  for (const ext of EXTENSIONS) if (isFile(`${target}/index${ext}`)) return `${target}/index${ext}`;
  return undefined;
}


function readdirOrEmpty(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

