#!/usr/bin/env node
// The installed command: runs the bundled CLI (npm run build writes dist/bundle/; see
// scripts/bundle.mjs), with V8's code cache for it (see compile-cache.cjs).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
require('./compile-cache.cjs').enable(fileURLToPath(new URL('../dist/bundle', import.meta.url)));
await require('../dist/bundle/cli.cjs').main();
