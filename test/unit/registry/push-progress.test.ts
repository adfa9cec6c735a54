import { describe, expect, it } from 'vitest';
import { sha256Digest } from '../../../src/image/descriptor.js';
import { createImageManifest } from '../../../src/image/manifest.js';
import type { BlobSource } from '../../../src/publish/content-store.js';
import { publishImage } from '../../../src/publish/publish-image.js';
import { RegistryStore } from '../../../src/publish/registry-store.js';
import { countBytes, createByteReporter } from '../../../src/registry/byte-progress.js';
import { createRegistryPool } from '../../../src/registry/pool.js';
import { fakeRegistry } from './fake-registry.js';
import { startServer } from './http-double.js';

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

  it('reports forced points always, other bytes at most about 100 times, never going back', () => {
    const reports: Array<[number, number]> = [];
    const total = 100 * 1024 * 1024;
    const report = createByteReporter(total, (current, t) => reports.push([current, t]));
    report(0, true);
    for (let sent = 65536; sent <= total; sent += 65536) report(sent);
    report(total / 2, true); // a restarted upload: the sum dips
    report(total, true);
    expect(reports[0]).toEqual([0, total]);
    expect(reports.at(-1)).toEqual([total, total]);
    expect(reports.length).toBeGreaterThan(50);
    expect(reports.length).toBeLessThanOrEqual(103);
    const currents = reports.map(([c]) => c);
    expect(currents).toEqual([...currents].sort((a, b) => a - b));
  });
});

describe('publishImage progress', () => {
  it('reports bytes sent of the total, counting blobs the repository already has as done', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    const small = Buffer.from('config');
    const blobs = [small, big].map(memoryBlob);
    const route = fakeRegistry();
    const server = await startServer(route.route);
    const pool = createRegistryPool({ http: { attempts: 2 } });
    const store = new RegistryStore(pool.get({ host: server.host, apiHost: server.host, scheme: 'http', authKey: server.host }));
    // The repository already holds the config blob.
    await store.putBlob('team/web', blobs[0]!);
    const before = server.requests.length;
    const manifest = createImageManifest({ config: { digest: blobs[0]!.digest, size: small.length }, layers: [{ digest: blobs[1]!.digest, size: big.length }] }, 'oci');
    const reports: Array<{ message: string; current: number; total: number }> = [];
    const stats = await publishImage(store, new Map([['team/web', ['v1']]]), { manifest, blobs }, {
      onProgress: (message, current, total) => reports.push({ message, current, total }),
    });
    expect(stats).toMatchObject({ uploaded: 1, skipped: 1, bytesUploaded: big.length });
    const total = small.length + big.length;
    expect(reports.every((r) => r.total === total)).toBe(true);
    expect(reports[0]!.current).toBe(0);
    // Bytes of the upload in flight, before the blob is done.
    expect(reports.some((r) => r.current > small.length && r.current < total)).toBe(true);
    expect(reports.at(-1)).toMatchObject({ current: total, total });
    const currents = reports.map((r) => r.current);
    expect(currents).toEqual([...currents].sort((a, b) => a - b));
    const uploads = server.requests.slice(before).filter((r) => r.method === 'PUT' && r.path.includes('/blobs/'));
    expect(uploads.map((r) => r.body.length)).toEqual([big.length]);
  });
});

function memoryBlob(bytes: Buffer): BlobSource {
  return {
    digest: sha256Digest(bytes),
    size: bytes.length,
    async *open(start, end) {
      // In chunks, as a file stream hands them over.
      for (let at = start; at < end; at += 64 * 1024) yield bytes.subarray(at, Math.min(end, at + 64 * 1024));
    },
  };
}
