#!/usr/bin/env node
/**
 * `npm run build`, second half: the CLI as a few ESM chunks in dist/bundle/, for start-up time.
 * Node spends most of a cold `plan` loading modules — ~300 files of ours, execa's, zod's — and a
 * bundle of the same code loads in a third of the time (measured: importing the apply command
 * 340 ms from dist/, 135 ms bundled). The library entry (dist/index.js, what a config imports)
 * stays unbundled. Kept outside the bundle: packages loaded only by some commands, by path or with
 * files of their own (jiti loads its Babel lazily, hcl2json a .wasm, ts-morph is 12 MB).
 *
 * The bundle sits two directories below the package root, like every compiled module, so paths
 * resolved from import.meta.url (templates/, package.json, dist/index.js) hold in both.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// @aws-sdk/client-ecr: only plans with an ECR `ecr` block load it (a lazy import), with its own dependency tree.
const external = ['jiti', 'ink', 'react', 'ts-morph', 'zx', '@cdktf/hcl2json', '@aws-sdk/client-ecr'];

const outDir = path.join(root, 'dist/bundle');
// Chunk names carry content hashes: start empty so no stale chunk lingers.
rmSync(outDir, { recursive: true, force: true });

await build({
  input: { cli: path.join(root, 'dist/cli/main.js') },
  platform: 'node',
  external: (id) => id.startsWith('node:') || external.some((name) => id === name || id.startsWith(`${name}/`)),
  output: {
    dir: outDir,
    format: 'esm',
    sourcemap: true,
    chunkFileNames: '[name]-[hash].js',
  },
  logLevel: 'warn',
});
