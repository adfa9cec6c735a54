import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Digest } from '../../../src/image/descriptor.js';
import { BlobStore } from '../../../src/image/blob-store.js';
import { countBytes, createByteTracker } from '../../../src/registry/byte-progress.js';
import { pushBlobs } from '../../../src/registry/push-image.js';
import { client } from './client-fixtures.js';
import { startServer, type Answer } from './http-double.js';

describe('byte progress', () => {
  it('counts the bytes a stream hands over, unchanged', async () => {
    const seen: number[] = [];
    async function* source() {
      yield Buffer.from('abc');
      yield Buffer.from('defgh');
    }
    const chunks: string[] = [];
    for await (const chunk of countBytes(source(), (n) => seen.push(n))) chunks.push(Buffer.from(chunk).toString());
    expect(chunks.join('')).toBe('abcdefgh');
    expect(seen).toEqual([3, 8]);
  });

  it('reports blob starts and ends always, in-flight bytes at most about 100 times', () => {
    const reports: Array<[number, number]> = [];
    const total = 100 * 1024 * 1024;
    const tracker = createByteTracker(total, (current, t) => reports.push([current, t]));
    tracker.startBlob();
    for (let sent = 65536; sent <= total; sent += 65536) tracker.progress(sent);
    tracker.finishBlob(total);
    expect(reports[0]).toEqual([0, total]);
    expect(reports.at(-1)).toEqual([total, total]);
    expect(reports.length).toBeGreaterThan(50);
    expect(reports.length).toBeLessThanOrEqual(102);
    const currents = reports.map(([c]) => c);
    expect(currents).toEqual([...currents].sort((a, b) => a - b));
  });
});

describe('pushBlobs progress', () => {
  it('reports bytes sent of the total, counting blobs the repository already has as done', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'multiarch-push-'));
    const store = new BlobStore(root);
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    const small = Buffer.from('config');
    const blobs = [small, big].map((bytes) => {
      const digest = sha256Digest(bytes);
      const file = store.path(digest);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, bytes);
      return { digest, size: bytes.length };
    });
    const server = await startServer((req): Answer => {
      if (req.method === 'HEAD') return { status: req.path.endsWith(blobs[0]!.digest) ? 200 : 404 };
      if (req.method === 'POST') return { status: 202, headers: { location: '/v2/team/web/blobs/uploads/1' } };
      if (req.method === 'PUT') return { status: 201, headers: { 'docker-content-digest': req.query.get('digest')! } };
      return { status: 500 };
    });
    const reports: Array<{ message: string; current: number; total: number }> = [];
    const stats = await pushBlobs({ client: client(server.host).c, blobHomes: new Map() }, 'team/web', blobs, store, {
      onProgress: (message, current, total) => reports.push({ message, current, total }),
    });
    expect(stats).toMatchObject({ uploaded: 1, skipped: 1, bytesUploaded: big.length });
    const total = small.length + big.length;
    expect(reports.every((r) => r.total === total)).toBe(true);
    expect(reports[0]).toEqual({ message: 'team/web: blob 1/2', current: 0, total });
    expect(reports).toContainEqual({ message: 'team/web: blob 2/2', current: small.length, total });
    // Bytes of the upload in flight, then the whole push.
    expect(reports.some((r) => r.message === 'team/web: blob 2/2' && r.current > small.length && r.current < total)).toBe(true);
    expect(reports.at(-1)).toEqual({ message: 'team/web: 2 blobs', current: total, total });
    expect(server.api().find((r) => r.method === 'PUT')!.body.length).toBe(big.length);
  });
});
