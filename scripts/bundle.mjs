#!/usr/bin/env node
/**
 * `npm run build`, second half: the CLI as a few CommonJS chunks in dist/bundle/, for start-up time.
 * Node spends most of a cold `plan` loading modules — ~300 files of ours, zod's, Sucrase's — and a
 * bundle of the same code loads in a third of the time (measured: importing the apply command
 * 340 ms from dist/, 135 ms bundled). CommonJS, not ESM, because only a script can carry V8's code
 * cache on Node 20 (bin/compile-cache.cjs): compiling the chunks is the largest part of what is
 * left (measured on a cold `plan`: CPU 0.35 s as ESM chunks, 0.31 s as CommonJS, 0.25 s with the
 * code cache). The library entry (dist/index.js, what a config imports) stays unbundled ESM.
 * Kept outside the bundle: packages loaded only by some commands, by path or with files of their
 * own (jiti loads its Babel lazily, hcl2json a .wasm, ts-morph is 12 MB), loaded with import().
 *
 * The Ink view is a second bundle, ESM (dist/bundle/ink-reporter.mjs): Ink uses top-level await,
 * which `require` cannot load, and it is the one part only a terminal session loads.
 *
 * The bundle sits two directories below the package root, like every compiled module, so paths
 * resolved from import.meta.url (templates/, package.json, dist/index.js) hold in both.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';
import { parseAst } from 'rolldown/parseAst';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// @aws-sdk/client-ecr: only plans with an ECR `ecr` block load it (a lazy import), with its own dependency tree.
const external = ['jiti', 'ink', 'react', 'ts-morph', 'zx', '@cdktf/hcl2json', '@aws-sdk/client-ecr'];
const isExternal = (id) => id.startsWith('node:') || external.some((name) => id === name || id.startsWith(`${name}/`));
const inkReporter = path.join(root, 'dist/ui/run/ink/ink-reporter.js');

/**
 * A chunk compiled with V8's code cache (bin/compile-cache.cjs) cannot run `import()` on Node 20:
 * a script made from cached data loses its dynamic-import callback. So every import() the bundle
 * keeps — of packages outside it, of the config's API entry, of the Ink bundle — is rewritten to
 * call a function the loader provides (`Symbol.for('multiarch.importEsm')`), which imports from a
 * module Node compiled itself; without that loader the chunk's own import() is used.
 */
const IMPORT_ESM = `const __importEsm = globalThis[Symbol.for('multiarch.importEsm')] ?? ((specifier) => import(specifier));\n`;
function importsOutsideTheCache() {
  return {
    name: 'imports-outside-the-cache',
    transform(code, id) {
      if (!id.startsWith(path.join(root, 'dist') + path.sep) || !code.includes('import(')) return null;
      const edits = [];
      walk(parseAst(code), (node) => {
        if (node.type !== 'ImportExpression') return;
        const literal = node.source.type === 'Literal' && typeof node.source.value === 'string' ? node.source.value : undefined;
        if (literal?.startsWith('.') && path.resolve(path.dirname(id), literal) === inkReporter) {
          edits.push({ start: node.start, end: node.end, text: `__importEsm('./ink-reporter.mjs')` });
        } else if (literal === undefined || isExternal(literal)) {
          edits.push({ start: node.start, end: node.source.start, text: '__importEsm(' });
        }
      });
      if (edits.length === 0) return null;
      let out = code;
      for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
      return { code: IMPORT_ESM + out, map: null };
    },
  };
}

function walk(node, visit) {
  if (!node || typeof node.type !== 'string') return;
  visit(node);
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) for (const child of value) walk(child, visit);
    else if (value && typeof value === 'object') walk(value, visit);
  }
}

const outDir = path.join(root, 'dist/bundle');
// Chunk names carry content hashes: start empty so no stale chunk lingers.
rmSync(outDir, { recursive: true, force: true });

await build({
  input: { cli: path.join(root, 'dist/cli/main.js') },
  platform: 'node',
  external: isExternal,
  // The CLI's `import('./ink/ink-reporter.js')` becomes an import of the ESM bundle built below.
  plugins: [importsOutsideTheCache()],
  output: {
    dir: outDir,
    format: 'cjs',
    sourcemap: true,
    entryFileNames: '[name].cjs',
    chunkFileNames: '[name]-[hash].cjs',
  },
  logLevel: 'warn',
});

await build({
  input: { 'ink-reporter': inkReporter },
  platform: 'node',
  external: isExternal,
  output: { dir: outDir, format: 'esm', sourcemap: true, entryFileNames: '[name].mjs', codeSplitting: false },
  logLevel: 'warn',
});
