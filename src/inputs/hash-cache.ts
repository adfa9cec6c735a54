/**
 * File content digests remembered between runs, keyed by each file's size, mtime, inode and
 * ctime: a file whose stamp is unchanged is not read again. One JSON file per context directory
 * under the cache directory. Only a speed-up: a missing or corrupt cache means files are hashed.
 * Entries modified in the last seconds before hashing are not kept (their mtime may not yet tell
 * a later change apart, as with git's "racily clean" entries). Edge.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';

const VERSION = 1;
/** Entries younger than this at hashing time are hashed again next time. */
const RACY_NS = 2_000_000_000n;

interface CacheFile {
  readonly version: number;
  readonly entries: Record<string, [stamp: string, digest: string]>;
}

export class FileHashCache {
  private readonly fresh = new Map<string, [string, string]>();
  private dirty = false;

  private constructor(
    private readonly file: string | undefined,
    private readonly known: Readonly<Record<string, [string, string]>>,
    /** Wall clock at load, in ns: what counts as "recently modified". */
    private readonly loadedAtNs: bigint,
  ) {}

  /** The cache for one context directory; `cacheDir` undefined means no persistence. */
  static async load(cacheDir: string | undefined, contextRoot: string): Promise<FileHashCache> {
    const now = BigInt(Date.now()) * 1_000_000n;
    if (!cacheDir) return new FileHashCache(undefined, {}, now);
    const key = createHash('sha256').update(path.resolve(contextRoot)).digest('hex').slice(0, 24);
    const file = path.join(cacheDir, 'inputs', `files-${key}.json`);
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as CacheFile;
      return new FileHashCache(file, parsed.version === VERSION ? parsed.entries : {}, now);
    } catch {
      return new FileHashCache(file, {}, now);
    }
  }

  lookup(rel: string, stamp: string): string | undefined {
    const hit = this.fresh.get(rel) ?? this.known[rel];
    return hit && hit[0] === stamp ? hit[1] : undefined;
  }

  /** Records a digest for this run; save() decides what is kept. */
  remember(rel: string, stamp: string, digest: string): void {
    this.fresh.set(rel, [stamp, digest]);
    this.dirty = true;
  }

  /** Writes the entries seen this run (entries for files that are gone are dropped). */
  async save(seen: ReadonlyMap<string, { stamp: string; mtimeNs: bigint }>): Promise<void> {
    if (!this.file || (!this.dirty && seen.size === Object.keys(this.known).length)) return;
    const entries: Record<string, [string, string]> = {};
    for (const [rel, { stamp, mtimeNs }] of seen) {
      const hit = this.fresh.get(rel) ?? this.known[rel];
      if (!hit || hit[0] !== stamp || mtimeNs >= this.loadedAtNs - RACY_NS) continue;
      entries[rel] = hit;
    }
    await mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    await writeFile(temp, JSON.stringify({ version: VERSION, entries } satisfies CacheFile));
    await rename(temp, this.file);
  }
}
