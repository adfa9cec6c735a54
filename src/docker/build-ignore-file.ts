/**
 * multiarch's own directories kept from the engine without touching the user's ignore file:
 * BuildKit (and buildx) read `<Dockerfile>.dockerignore` next to the Dockerfile given with `-f`
 * before `<context>/.dockerignore`, so the Dockerfile is copied into the run's build folder beside
 * an ignore file holding the user's rules (the one BuildKit would have read) plus those
 * directories, appended last so no `!` re-include of the user's can bring them back. The legacy
 * builder only reads `<context>/.dockerignore`: it is left alone (the plan says so). Edge.
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuilderKind, BuildSpec } from '../exec/ports/builder.js';

/** The Dockerfile to pass with `-f`: a copy in `dir` with its own ignore file, or the user's. */
export async function dockerfileWithIgnore(spec: BuildSpec, kind: BuilderKind, dir: string): Promise<string> {
  if (!spec.ignore || spec.ignore.length === 0 || kind === 'legacy') return spec.dockerfile;
  const userRules = (await readText(`${spec.dockerfile}.dockerignore`)) ?? (await readText(path.join(spec.context, '.dockerignore'))) ?? '';
  const copy = path.join(dir, 'Dockerfile');
  await copyFile(spec.dockerfile, copy);
  const lines = spec.ignore;
  await writeFile(`${copy}.dockerignore`, `${userRules}${userRules === '' || userRules.endsWith('\n') ? '' : '\n'}# multiarch's own directories (not inputs, never sent)\n${lines.join('\n')}\n`);
  return copy;
}

async function readText(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch(() => undefined);
}
