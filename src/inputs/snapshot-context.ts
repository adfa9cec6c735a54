/**
 * What one build can see, as digests: the context entries its ignore file keeps (path, type,
 * permission bits, content or link target) and the Dockerfile. The ignore file is the one Docker
 * picks for this builder: BuildKit prefers `<Dockerfile>.dockerignore` next to the Dockerfile over
 * the context's `.dockerignore`; the legacy builder reads only the latter and always sends the
 * Dockerfile and `.dockerignore` themselves. Content digests come from the hash cache when a
 * file's stamp is unchanged. Edge.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuilderKind } from '../plan/nodes.js';
import { MultiarchError } from '../errors/multiarch-error.js';
import { followsLink, readsPath, type ContextReads } from '../dockerfile/context-reads.js';
import { contextRulesFor, type ContextRules } from './context-rules.js';
import { compileIgnore, IgnoreSyntaxError, isExcluded, parseIgnoreFile, type IgnoreMatcher } from './dockerignore.js';
import type { FileHashCache } from './hash-cache.js';
import { hashFile, mapLimit } from './hash-file.js';
import { walkContext, type ContextEntry } from './walk-context.js';

export interface ContextSnapshot {
  /** `sha256:…` over every entry below. */
  readonly digest: string;
  /** path → `f 644 <sha256 hex>`, `d 755`, `l 777 <target>`: what the build sees of each entry. */
  readonly files: Readonly<Record<string, string>>;
  /** The ignore file applied (absolute), if any. */
  readonly ignoreFile?: string;
  readonly bytes: number;
  /** Set when only part of the context is read and hashed: false; otherwise why the whole. */
  readonly whole?: string;
}

export interface SnapshotOptions {
  readonly context: string;
  readonly dockerfile: string;
  readonly builder: BuilderKind;
  /** How the builder applies the ignore file (default: from the builder kind, for current clients). */
  readonly rules?: ContextRules;
  readonly cache: FileHashCache;
  /**
   * Globs (relative to the context) of files a prepare step writes before the build: products,
   * not inputs — the prepare step's source is the input (see docs/builders.md).
   */
  readonly exclude?: readonly string[];
  /**
   * The paths the build reads (from its Dockerfile); only those entries are hashed and listed.
   * Undefined: the whole context (as the legacy note, `COPY . .`).
   */
  readonly reads?: ContextReads;
  /** multiarch's own directories (absolute): never inputs, wherever they sit. */
  readonly own?: readonly string[];
  /** Files hashed at once. */
  readonly concurrency?: number;
  /** How a file's content is hashed (default hashFile; a test puts a racing writer in between). */
  readonly hash?: typeof hashFile;
}

/** Walks the context again when a file vanishes while it is read: something wrote into it meanwhile. */
const ATTEMPTS = 3;

export async function snapshotContext(options: SnapshotOptions): Promise<ContextSnapshot> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await snapshotOnce(options);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || !existsSync(options.context)) throw error;
      if (attempt < ATTEMPTS) continue;
      const file = (error as NodeJS.ErrnoException).path ?? '';
      throw new MultiarchError('E_INPUTS', `the build context ${options.context} kept changing while it was read (${path.relative(options.context, file) || file} vanished, ${ATTEMPTS} times)`, {
        hint: 'something is writing into the context; exclude that directory in its .dockerignore (a build would be sent a moving target too)',
      });
    }
  }
}

async function snapshotOnce(options: SnapshotOptions): Promise<ContextSnapshot> {
  const rules = options.rules ?? contextRulesFor(options.builder, '99');
  const { matcher, ignoreFile } = await loadIgnore(options, rules);
  const products = await expandProducts(options.context, options.exclude ?? []);
  const own = (options.own ?? []).map((dir) => path.relative(options.context, dir).split(path.sep).join('/')).filter((rel) => rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel));
  const isOwn = (p: string) => own.some((rel) => p === rel || p.startsWith(`${rel}/`));
  const seen = (await walkContext(options.context, matcher, rules)).filter((e) => !products.has(e.path) && !isOwn(e.path));
  const { entries, whole } = selectRead(seen, options.reads);
  const fingerprints = await mapLimit(entries, options.concurrency ?? 16, (entry) => fingerprint(options, entry));
  const files: Record<string, string> = {};
  const hash = createHash('sha256');
  let bytes = 0;
  entries.forEach((entry, i) => {
    files[entry.path] = fingerprints[i]!;
    hash.update(`${entry.path}\0${fingerprints[i]}\n`);
    if (entry.type === 'file') bytes += entry.size;
  });
  const digest = `sha256:${hash.digest('hex')}`;
  options.cache.retain(new Map(entries.filter((e) => e.type === 'file').map((e) => [e.path, { stamp: e.stamp, mtimeNs: e.mtimeNs }])), digest);
  return { digest, files, ...(ignoreFile ? { ignoreFile } : {}), bytes, ...(whole ? { whole } : {}) };
}

/**
 * The entries the build reads; all of them (same digest as a whole-context snapshot) when it may
 * read anything, or when a source goes through a symlink (followed by BuildKit: what it reads lies
 * elsewhere in the context).
 */
function selectRead(entries: ContextEntry[], reads: ContextReads | undefined): { entries: ContextEntry[]; whole?: string } {
  if (!reads) return { entries };
  if (reads.whole) return { entries, whole: reads.whole };
  if (reads.paths.includes('.')) return { entries };
  const link = entries.find((e) => e.type === 'symlink' && reads.paths.some((p) => followsLink(p, e.path)));
  if (link) return { entries, whole: `a COPY/ADD source is or goes through the symlink ${link.path}` };
  return { entries: entries.filter((e) => readsPath(reads, e.path)) };
}

/** sha256 of the Dockerfile's content. */
export async function digestDockerfile(file: string, read: (file: string) => Promise<Buffer> = readFile): Promise<string> {
  try {
    return `sha256:${createHash('sha256').update(await read(file)).digest('hex')}`;
  } catch (error) {
    throw new MultiarchError('E_INPUTS', `cannot read the Dockerfile ${file}: ${(error as Error).message}`, {
      hint: 'check the image\'s context and dockerfile in the config',
    });
  }
}

async function fingerprint(options: SnapshotOptions, entry: ContextEntry): Promise<string> {
  const mode = entry.mode.toString(8);
  switch (entry.type) {
    case 'dir':
      return `d ${mode}`;
    case 'symlink':
      return `l ${mode} ${entry.link}`;
    case 'other':
      return `o ${mode}`;
    case 'file': {
      let digest = options.cache.lookup(entry.path, entry.stamp);
      if (!digest) {
        digest = await (options.hash ?? hashFile)(path.join(options.context, entry.path), entry.size);
        options.cache.remember(entry.path, entry.stamp, digest);
      }
      return `f ${mode} ${digest}`;
    }
  }
}

/** The ignore file the build applies to this context (Dockerfile-specific first, except legacy), compiled. */
export async function loadIgnore(options: Pick<SnapshotOptions, 'context' | 'dockerfile' | 'builder'>, rules: ContextRules): Promise<{ matcher?: IgnoreMatcher; ignoreFile?: string }> {
  const candidates = options.builder === 'legacy' ? [] : [`${options.dockerfile}.dockerignore`];
  candidates.push(path.join(options.context, '.dockerignore'));
  for (const file of candidates) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    let patterns = parseIgnoreFile(text);
    try {
      if (options.builder === 'legacy') patterns = keepBuildFiles(patterns, options);
      return { matcher: compileIgnore(patterns, { regexpOnly: rules.endsWith('-2020') }), ignoreFile: file };
    } catch (error) {
      if (error instanceof IgnoreSyntaxError) throw new MultiarchError('E_INPUTS', `${file}: ${error.message}`, { hint: 'docker build rejects this file too' });
      throw error;
    }
  }
  return {};
}

/** The legacy builder sends `.dockerignore` and the Dockerfile even when they are excluded. */
function keepBuildFiles(patterns: string[], options: Pick<SnapshotOptions, 'context' | 'dockerfile'>): string[] {
  const out = [...patterns];
  const matcher = compileIgnore(patterns);
  if (isExcluded(matcher, '.dockerignore')) out.push('!.dockerignore');
  const rel = path.relative(options.context, options.dockerfile).split(path.sep).join('/');
  if (!rel.startsWith('..') && isExcluded(matcher, rel)) out.push(`!${rel}`);
  return out;
}

/** The files a prepare step's output globs match now (as the prepare step itself expands them). */
async function expandProducts(context: string, globs: readonly string[]): Promise<Set<string>> {
  if (globs.length === 0) return new Set();
  const { glob } = await import('zx');
  return new Set(await glob([...globs], { cwd: context, onlyFiles: true, dot: true, followSymbolicLinks: false }));
}
