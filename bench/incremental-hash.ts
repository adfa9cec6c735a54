/**
 * bench/incremental-hash: hashing throughput on a 1 GiB build context (generated in /tmp, deleted
 * after): multiarch's context snapshot with an empty hash cache (every file read and hashed) and
 * with a warm one (stat only), against `git hash-object --stdin-paths` and `sha256sum` (one
 * process, and two in parallel: this machine has two cores) over the same files. Page cache warm
 * for everyone (the files were just written; 1 GiB fits in memory).
 *
 * Run: npm run build && node node_modules/jiti/lib/jiti-cli.mjs bench/incremental-hash.ts [rounds]
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { HashCacheStore } from '../src/inputs/hash-cache.js';
import { snapshotContext } from '../src/inputs/snapshot-context.js';
import { median } from './support/report.js';
import { timed } from './support/timing.js';

const FILES = 2048;
const SIZE = 512 * 1024;

export interface HashRow {
  readonly tool: string;
  readonly seconds: number;
  readonly mibPerSecond: number;
}

export async function hashThroughput(rounds: number): Promise<{ rows: HashRow[]; bytes: number; files: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'multiarch-hash-bench-'));
  const cacheDir = path.join(os.tmpdir(), `multiarch-hash-cache-${process.pid}`);
  try {
    const ctx = path.join(dir, 'ctx');
    const chunk = randomBytes(SIZE);
    const names: string[] = [];
    for (let i = 0; i < FILES; i++) {
      const sub = path.join(ctx, `d${i % 32}`);
      mkdirSync(sub, { recursive: true });
      // Distinct content per file (a counter in front of shared random bytes).
      const name = path.join(sub, `f${i}.bin`);
      chunk.writeUInt32LE(i, 0);
      writeFileSync(name, chunk);
      names.push(name);
    }
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY . /\n');
    const bytes = FILES * SIZE;
    const list = path.join(dir, 'files.txt');
    writeFileSync(list, `${names.join('\n')}\n`);
    const half = [names.filter((_, i) => i % 2 === 0), names.filter((_, i) => i % 2 === 1)];
    const snapshot = async (cached: boolean) => {
      if (!cached) rmSync(cacheDir, { recursive: true, force: true });
      const store = await HashCacheStore.load(cacheDir);
      await snapshotContext({ context: ctx, dockerfile: path.join(dir, 'Dockerfile'), builder: 'buildkit', cache: store.forContext(ctx) });
      await store.save();
    };
    const tools: Array<[string, () => Promise<unknown>]> = [
      ['multiarch snapshot, empty hash cache (sha256)', () => snapshot(false)],
      ['multiarch snapshot, warm hash cache', () => snapshot(true)],
      ['git hash-object --stdin-paths (sha1)', () => execa('git', ['hash-object', '--stdin-paths'], { inputFile: list, stdout: 'ignore' })],
      ['sha256sum, one process', () => execa('sha256sum', names, { stdout: 'ignore' })],
      ['sha256sum, two processes', () => Promise.all(half.map((h) => execa('sha256sum', h, { stdout: 'ignore' })))],
    ];
    // Warm the page cache and the hash cache once.
    await snapshot(false);
    const times = new Map<string, number[]>(tools.map(([name]) => [name, []]));
    for (let r = 0; r < rounds; r++) {
      for (const [name, fn] of r % 2 ? [...tools].reverse() : tools) {
        if (name.includes('warm')) await snapshot(true);
        times.get(name)!.push(await timed(fn));
      }
    }
    const rows = tools.map(([tool]) => {
      const seconds = median(times.get(tool)!);
      return { tool, seconds, mibPerSecond: bytes / 2 ** 20 / seconds };
    });
    for (const r of rows) console.error(`${r.tool}: ${r.seconds.toFixed(2)} s (${r.mibPerSecond.toFixed(0)} MiB/s)`);
    return { rows, bytes, files: FILES };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await hashThroughput(Number(process.argv[2] ?? 3));
}
