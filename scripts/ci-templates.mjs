#!/usr/bin/env node
// Writes templates/ci/*.yml from the CI generators (src/ci/templates.ts). Run after `npm run build`.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { CI_TEMPLATES } = await import(path.join(ROOT, 'dist/ci/templates.js'));
for (const [file, render] of Object.entries(CI_TEMPLATES)) {
  mkdirSync(path.dirname(path.join(ROOT, file)), { recursive: true });
  writeFileSync(path.join(ROOT, file), render());
  console.log(`wrote ${file}`);
}
