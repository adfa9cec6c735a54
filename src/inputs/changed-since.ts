/**
 * `--since <git-ref>`: the images whose inputs include a file changed since that ref (committed,
 * staged, unstaged or untracked) — a file of its context the ignore rules keep, its Dockerfile, or
 * its ignore file — plus every image built on one of them (`ref()`). A change to the config file
 * itself may change anything, so it selects every image. Edge (runs git).
 */
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { imageDependencies } from '../config/rules.js';
import type { ResolvedConfig } from '../config/resolved.js';
import { MultiarchError } from '../errors/multiarch-error.js';
import { run } from '../sys/run.js';
import { compileIgnore, isExcluded, parseIgnoreFile } from './dockerignore.js';

export interface ChangedSince {
  /** Selected images: touched ones and what is built on them. */
  readonly images: readonly string[];
  /** Why each was selected. */
  readonly why: Readonly<Record<string, string>>;
}

export async function imagesChangedSince(config: ResolvedConfig, ref: string, builder: 'buildx' | 'buildkit' | 'legacy'): Promise<ChangedSince> {
  const files = await changedFiles(config.dir, ref);
  const why: Record<string, string> = {};
  // git reports real paths; the config's may go through symlinks.
  const real = async (p: string) => path.join(await realpath(path.dirname(p)).catch(() => path.dirname(p)), path.basename(p));
  if (files.includes(await real(config.file))) {
    for (const name of Object.keys(config.images)) why[name] = `${path.basename(config.file)} changed`;
    return { images: Object.keys(config.images), why };
  }
  for (const image of Object.values(config.images)) {
    const context = await realpath(image.context).catch(() => image.context);
    const dockerfile = await real(image.dockerfile);
    const ignoreFiles = [...(builder === 'legacy' ? [] : [`${dockerfile}.dockerignore`]), path.join(context, '.dockerignore')];
    const matcher = await loadMatcher(ignoreFiles);
    const hit = files.find((file) => {
      if (file === dockerfile || ignoreFiles.includes(file)) return true;
      const rel = path.relative(context, file);
      if (rel.startsWith('..') || path.isAbsolute(rel)) return false;
      return !matcher || !isExcluded(matcher, rel.split(path.sep).join('/'));
    });
    if (hit) why[image.name] = `${path.relative(context, hit)} changed`;
  }
  // Everything built on a selected image, transitively.
  let grew = true;
  while (grew) {
    grew = false;
    for (const image of Object.values(config.images)) {
      if (why[image.name]) continue;
      const base = imageDependencies(image).find((dep) => why[dep]);
      if (base) {
        why[image.name] = `built on ${base}`;
        grew = true;
      }
    }
  }
  return { images: Object.keys(config.images).filter((n) => why[n]), why };
}

async function changedFiles(dir: string, ref: string): Promise<string[]> {
  let cwd = dir;
  const git = async (...args: string[]) => {
    const r = await run('git', args, { cwd, timeoutMs: 60_000 });
    if (r.exitCode !== 0) {
      throw new MultiarchError('E_USAGE', `--since ${ref}: git ${args[0]} failed: ${r.stderr.trim().split('\n').at(-1) ?? ''}`, {
        hint: 'give a commit, branch or tag that exists in this repository (in CI, fetch enough history, e.g. fetch-depth: 0)',
      });
    }
    return r.stdout;
  };
  const root = (await git('rev-parse', '--show-toplevel')).trim();
  cwd = root;
  const diff = await git('diff', '--name-only', '--no-renames', ref, '--');
  const untracked = await git('ls-files', '--others', '--exclude-standard');
  return [...diff.split('\n'), ...untracked.split('\n')].filter(Boolean).map((f) => path.join(root, f));
}

async function loadMatcher(candidates: readonly string[]) {
  for (const file of candidates) {
    try {
      return compileIgnore(parseIgnoreFile(await readFile(file, 'utf8')));
    } catch {
      // missing or unreadable: the next candidate (a bad pattern makes the plan fail later, with the file named)
    }
  }
  return undefined;
}
