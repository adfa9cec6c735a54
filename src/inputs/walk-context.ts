/**
 * Lists what a build can see of its context directory: every entry the ignore rules keep, walked
 * the way the builder walks it (see context-rules.ts): parents before children, an excluded
 * directory entered only when an exception could re-include something inside it. Symlinks are
 * entries of their own, never followed. Edge.
 */
import type { BigIntStats } from 'node:fs';
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import type { ContextRules } from './context-rules.js';
import { canSkipExcludedDir, matchPath, matchSingleParent, type IgnoreMatcher, type ParentMatches } from './dockerignore.js';

export interface ContextEntry {
  /** Relative to the context, `/`-separated. */
  readonly path: string;
  readonly type: 'file' | 'dir' | 'symlink' | 'other';
  /** Permission bits (what COPY preserves). */
  readonly mode: number;
  readonly size: number;
  /** Change detection for the hash cache. */
  readonly stamp: string;
  readonly mtimeNs: bigint;
  readonly link?: string;
  /** A file with other names (hardlinks): its identity on disk, the same for all its names. */
  readonly inode?: string;
}

export async function walkContext(root: string, matcher: IgnoreMatcher | undefined, rules: ContextRules = 'buildkit'): Promise<ContextEntry[]> {
  const out: ContextEntry[] = [];
  await walkDir(root, '', matcher, undefined, out, rules);
  return out;
}

async function walkDir(
  root: string,
  rel: string,
  matcher: IgnoreMatcher | undefined,
  parent: ParentMatches | undefined,
  out: ContextEntry[],
  rules: ContextRules,
): Promise<void> {
  // Synchronous: a directory listing and its stats are tiny calls, far cheaper without the thread
  // pool round trip (contents are hashed asynchronously, in parallel, elsewhere).
  const names = readdirSync(path.join(root, rel)).sort(byteOrder);
  const stats = names.map((name) => lstatSync(path.join(root, rel, name), { bigint: true }));
  for (let i = 0; i < names.length; i++) {
    const entryPath = rel ? `${rel}/${names[i]}` : names[i]!;
    const stat = stats[i]!;
    const isDir = stat.isDirectory();
    let excluded = false;
    let matches: ParentMatches | undefined;
    if (matcher && rules === 'buildkit') {
      const r = matchPath(matcher, entryPath, parent);
      excluded = r.excluded;
      matches = r.matches;
      if (excluded && (!isDir || canSkipExcludedDir(matcher, entryPath))) continue;
    } else if (matcher) {
      excluded = rules.endsWith('-2020') ? matchSingleParent(matcher, entryPath) : matchPath(matcher, entryPath).excluded;
      // The older rule: an excluded directory is entered only when a `!` pattern starts inside it.
      if (excluded && (!isDir || !matcher.patterns.some((p) => p.exclusion && `${p.text}/`.startsWith(`${entryPath}/`)))) continue;
    }
    const entry = toEntry(root, entryPath, stat);
    if (!isDir) {
      out.push(entry);
      continue;
    }
    // BuildKit from 20.10 clients sends such a directory itself, even when nothing inside is kept.
    if (!excluded || rules === 'buildkit-2020') {
      out.push(entry);
      await walkDir(root, entryPath, matcher, matches, out, rules);
      continue;
    }
    // Excluded but walked: listed only when something inside is kept.
    const inner: ContextEntry[] = [];
    await walkDir(root, entryPath, matcher, matches, inner, rules);
    if (inner.length > 0) out.push(entry, ...inner);
  }
}

function toEntry(root: string, rel: string, stat: BigIntStats): ContextEntry {
  const type = stat.isFile() ? 'file' : stat.isDirectory() ? 'dir' : stat.isSymbolicLink() ? 'symlink' : 'other';
  const base = {
    path: rel,
    type,
    mode: Number(stat.mode & 0o7777n),
    size: Number(stat.size),
    stamp: `${stat.size}:${stat.mtimeNs}:${stat.ino}:${stat.ctimeNs}`,
    mtimeNs: stat.mtimeNs,
  } as const;
  if (type === 'symlink') return { ...base, link: readlinkSync(path.join(root, rel)) };
  return type === 'file' && stat.nlink > 1n ? { ...base, inode: `${stat.dev}:${stat.ino}` } : base;
}

/** Go sorts directory entries by their bytes; so does this. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
