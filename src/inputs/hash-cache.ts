/**
 * File content digests remembered between runs, keyed by each file's size, mtime, inode and
 * ctime: a file whose stamp is unchanged is not read again. One JSON file under the cache
 * directory for every context (read once, written once per run). Only a speed-up: a missing or
 * corrupt cache means files are hashed. Entries modified in the last seconds before hashing are
 * not kept (their mtime may not yet tell a later change apart, as with git's "racily clean"
 * entries). Edge.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';

const VERSION = 2;
/** Entries younger than this at hashing time are hashed again next time. */
const RACY_NS = 2_000_000_000n;

type Entry = [stamp: string, digest: string];

interface ContextRecord {
  readonly entries: Record<string, Entry>;
  /** The context digest of the last snapshot (its file list is in the state store). */
  readonly snapshot?: string;
}

interface CacheFile {
  readonly version: number;
  readonly contexts: Record<string, ContextRecord>;
}

/** All contexts' caches; `cacheDir` undefined keeps nothing between runs. */
export class HashCacheStore {
  private readonly views = new Map<string, FileHashCache>();

  private constructor(
    private readonly file: string | undefined,
    private readonly known: Readonly<Record<string, ContextRecord>>,
    /** Wall clock at load, in ns: what counts as "recently modified". */
    readonly loadedAtNs: bigint,
  ) {}

  static async load(cacheDir: string | undefined): Promise<HashCacheStore> {
    const now = BigInt(Date.now()) * 1_000_000n;
    if (!cacheDir) return new HashCacheStore(undefined, {}, now);
    const file = path.join(cacheDir, 'inputs', 'hash-cache.json');
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as CacheFile;
      return new HashCacheStore(file, parsed.version === VERSION ? parsed.contexts : {}, now);
    } catch {
      return new HashCacheStore(file, {}, now);
    }
  }

  forContext(contextRoot: string): FileHashCache {
    const key = path.resolve(contextRoot);
    let view = this.views.get(key);
    if (!view) this.views.set(key, (view = new FileHashCache(this.known[key], this.loadedAtNs)));
    return view;
  }

  /** Writes what this run saw (contexts not looked at this run are kept as they were). */
  async save(): Promise<void> {
    if (!this.file || ![...this.views.values()].some((v) => v.changed)) return;
    const contexts: Record<string, ContextRecord> = { ...this.known };
    for (const [key, view] of this.views) if (view.record) contexts[key] = view.record;
    await mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    await writeFile(temp, JSON.stringify({ version: VERSION, contexts } satisfies CacheFile));
    await rename(temp, this.file);
  }
}

/** One context's cache. */
export class FileHashCache {
  private readonly fresh = new Map<string, Entry>();
  /** What save() writes for this context, once retain() ran. */
  record: ContextRecord | undefined;
  changed = false;

  constructor(
    private readonly known: ContextRecord | undefined,
    private readonly loadedAtNs: bigint,
  ) {}

  /** A cache that remembers nothing (tests, one-off snapshots). */
  static empty(): FileHashCache {
    return new FileHashCache(undefined, BigInt(Date.now()) * 1_000_000n);
  }

  lookup(rel: string, stamp: string): string | undefined {
    const hit = this.fresh.get(rel) ?? this.known?.entries[rel];
    return hit && hit[0] === stamp ? hit[1] : undefined;
  }

  /** Records a digest for this run; retain() decides what is kept. */
  remember(rel: string, stamp: string, digest: string): void {
    this.fresh.set(rel, [stamp, digest]);
    this.changed = true;
  }

  /** The digest of this context's last snapshot. */
  get lastSnapshot(): string | undefined {
    return this.known?.snapshot;
  }

  /** Keeps the entries of the files seen now (this run, by any snapshot; not the racy ones), and the snapshot's digest. */
  retain(seen: ReadonlyMap<string, { stamp: string; mtimeNs: bigint }>, snapshot: string): void {
    // Several images may read parts of one context in a run: keep what each of them saw.
    const entries: Record<string, Entry> = { ...this.record?.entries };
    for (const [rel, { stamp, mtimeNs }] of seen) {
      const hit = this.fresh.get(rel) ?? this.known?.entries[rel];
      if (!hit || hit[0] !== stamp || mtimeNs >= this.loadedAtNs - RACY_NS) continue;
      entries[rel] = hit;
    }
    if (snapshot !== this.known?.snapshot || Object.keys(entries).length !== Object.keys(this.known?.entries ?? {}).length) this.changed = true;
    this.record = { entries, snapshot };
  }
}
