/**
 * Turning a config's TypeScript into the CommonJS jiti evaluates. jiti's own transform is Babel,
 * and loading Babel costs ≈0.2 s of CPU for every config it has not transformed before — every run
 * on a fresh CI runner, every edit — as much as the rest of a run's start. Sucrase does the same job
 * for what configs hold (types stripped, imports turned into `require`, every line kept where it
 * was, so error locations stay right) in a few milliseconds once loaded (≈0.04 s).
 *
 * Babel stays for what Sucrase does not do the way jiti does, decided per file:
 * - code that does not compile once Sucrase is done: `import.meta` (Babel rewrites it to the file's
 *   own URL and paths), decorators, anything Sucrase leaves as it found it;
 * - `import()` of anything, and imports of npm packages: Babel's output loads them as ESM through
 *   jiti's native import, Sucrase's would `require` them (another copy, other export conditions);
 * - JSX, and code Sucrase cannot parse (Babel's error is the one users see, located by TypeScript).
 * What stays with Sucrase: relative files, Node's built-ins and multiarch itself (a module jiti is
 * handed, see load.ts) — a config's usual imports. When every file a config reaches stays with
 * Sucrase, multiarch runs it without jiti (config-graph.ts, evaluate-config.ts), reusing the script
 * compiled here for the check.
 */
import { builtinModules, createRequire } from 'node:module';
import vm from 'node:vm';
import type { TransformOptions, TransformResult } from 'jiti';
import { transform as sucrase } from 'sucrase';

/** Specifiers whose modules jiti hands over as they are (see load.ts's virtualModules). */
export const HANDED_OVER: ReadonlySet<string> = new Set(['multiarch', 'npm:multiarch']);
const BUILTINS = new Set(builtinModules);

/** A transform for jiti's `transform` option: Sucrase where it does what Babel would, Babel elsewhere. */
export function configTransform(options: TransformOptions): TransformResult {
  return sucraseTransform(options) ?? babelTransform(options);
}

/** Sucrase's CommonJS for `options.source`, or undefined where Babel must do it (see the header). */
export function sucraseTransform(options: TransformOptions): TransformResult | undefined {
  const compiled = sucraseModule(options);
  return compiled && { code: compiled.code };
}

/** Sucrase's output for one file, as jiti would run it. */
export interface SucraseModule {
  readonly code: string;
  /** The code in jiti's module wrapper, compiled: running it gives the module's function. */
  readonly script: vm.Script;
  /** What the code `require`s, each once: relative or absolute files, Node's built-ins, multiarch. */
  readonly requires: readonly string[];
}

/** `sucraseTransform`, keeping what the check compiled and found, for running the file without jiti. */
export function sucraseModule(options: TransformOptions): SucraseModule | undefined {
  const file = options.filename ?? 'config.ts';
  if (options.jsx || /\.[cm]?[jt]sx$/.test(file) || /\bimport\s*\(/.test(options.source)) return undefined;
  let code: string;
  try {
    code = sucrase(options.source, {
      transforms: /\.[cm]?tsx?$/.test(file) ? ['typescript', 'imports'] : ['imports'],
      filePath: file,
      // Node 20 runs optional chaining, class fields and the rest as they are.
      disableESTransforms: true,
    }).code;
  } catch {
    return undefined;
  }
  const requires = localRequires(code);
  if (!requires) return undefined;
  const script = compile(code, file, options.async === true);
  return script && { code, script, requires };
}

/** What the output `require`s, if every one names a relative file, a built-in or multiarch. */
function localRequires(code: string): string[] | undefined {
  const requires = new Set<string>();
  for (const match of code.matchAll(/\brequire\s*\(\s*(?:(['"])(.*?)\1\s*\)|[^'"\s])/g)) {
    const specifier = match[2];
    if (specifier === undefined) return undefined;
    requires.add(specifier);
    if (/^\.{1,2}(\/|$)/.test(specifier) || specifier.startsWith('/')) continue;
    if (specifier.startsWith('node:') || BUILTINS.has(specifier) || HANDED_OVER.has(specifier)) continue;
    return undefined;
  }
  return [...requires];
}

/** The output compiled inside the function jiti wraps it in (an async one for an import), if it compiles. */
function compile(code: string, file: string, async: boolean): vm.Script | undefined {
  try {
    // V8 only pre-parses the body, well under a millisecond for a config. jiti compiles a copy of
    // its own; evaluate-config.ts runs this one. The wrapper is jiti's, character for character, so
    // columns on line 1 read the same either way.
    return new vm.Script(`(${async ? 'async ' : ''}function (exports, require, module, __filename, __dirname, jitiImport, jitiESMResolve) { ${code}\n});`, {
      filename: file,
    });
  } catch {
    return undefined;
  }
}

let babel: ((options: TransformOptions) => TransformResult) | undefined;

/** jiti's own transform, loaded the way jiti loads it (its package does not export the file). */
function babelTransform(options: TransformOptions): TransformResult {
  babel ??= createRequire(createRequire(import.meta.url).resolve('jiti'))('../dist/babel.cjs') as (options: TransformOptions) => TransformResult;
  return babel(options);
}
