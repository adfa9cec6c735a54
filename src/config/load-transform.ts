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
 * handed, see load.ts) — a config's usual imports.
 */
import { builtinModules, createRequire } from 'node:module';
import vm from 'node:vm';
import type { TransformOptions, TransformResult } from 'jiti';
import { transform as sucrase } from 'sucrase';

/** Specifiers whose modules jiti hands over as they are (see load.ts's virtualModules). */
const HANDED_OVER = new Set(['multiarch', 'npm:multiarch']);
const BUILTINS = new Set(builtinModules);

/** A transform for jiti's `transform` option: Sucrase where it does what Babel would, Babel elsewhere. */
export function configTransform(options: TransformOptions): TransformResult {
  return sucraseTransform(options) ?? babelTransform(options);
}

/** Sucrase's CommonJS for `options.source`, or undefined where Babel must do it (see the header). */
export function sucraseTransform(options: TransformOptions): TransformResult | undefined {
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
  if (!requiresOnlyLocal(code)) return undefined;
  return compiles(code, file, options.async === true) ? { code } : undefined;
}

/** Whether every `require` in the output names a relative file, a built-in or multiarch. */
function requiresOnlyLocal(code: string): boolean {
  for (const match of code.matchAll(/\brequire\s*\(\s*(?:(['"])(.*?)\1\s*\)|[^'"\s])/g)) {
    const specifier = match[2];
    if (specifier === undefined) return false;
    if (/^\.{1,2}(\/|$)/.test(specifier) || specifier.startsWith('/')) continue;
    if (specifier.startsWith('node:') || BUILTINS.has(specifier) || HANDED_OVER.has(specifier)) continue;
    return false;
  }
  return true;
}

/** Whether the output compiles inside the function jiti wraps it in (an async one for an import). */
function compiles(code: string, file: string, async: boolean): boolean {
  try {
    // Compiled, never run: V8 only pre-parses the body, well under a millisecond for a config.
    new vm.Script(`(${async ? 'async ' : ''}function (exports, require, module, __filename, __dirname, jitiImport, jitiESMResolve) { ${code}\n});`, {
      filename: file,
    });
    return true;
  } catch {
    return false;
  }
}

let babel: ((options: TransformOptions) => TransformResult) | undefined;

/** jiti's own transform, loaded the way jiti loads it (its package does not export the file). */
function babelTransform(options: TransformOptions): TransformResult {
  babel ??= createRequire(createRequire(import.meta.url).resolve('jiti'))('../dist/babel.cjs') as (options: TransformOptions) => TransformResult;
  return babel(options);
}
