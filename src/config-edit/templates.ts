/**
 * The files `multiarch init` starts from, in the package's `templates/` folder (shipped with it):
 * the config template and the starter Dockerfile and .dockerignore. Edge: reads them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** `templates/` next to `src/` (running from source) or `dist/` (installed): two levels up either way. */
export function templatesDir(): string {
  return fileURLToPath(new URL('../../templates/', import.meta.url));
}

export function readTemplate(name: string): string {
  return fs.readFileSync(path.join(templatesDir(), name), 'utf8');
}

/** The starter files written when a repository has no Dockerfile yet. */
export const STARTER_FILES = ['Dockerfile', '.dockerignore'] as const;
