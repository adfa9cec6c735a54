import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { BlobStore } from '../../../src/image/blob-store.js';
import { sha256Digest } from '../../../src/image/descriptor.js';
import { storeAsGzipBlob } from '../../../src/image/gzip-blob.js';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));
function store(): BlobStore {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'multiarch-blobs-'));
  roots.push(root);
  return new BlobStore(root);
}

/** Something layer-like: a few hundred KB, compressible, in several chunks. */
const layer = Buffer.concat(Array.from({ length: 300 }, (_, i) => Buffer.from(`file-${i} ${'x'.repeat(i % 50)}\n`.repeat(40))));
const chunks = (buf: Buffer, size = 64 * 1024) => Readable.from(Array.from({ length: Math.ceil(buf.length / size) }, (_, i) => buf.subarray(i * size, (i + 1) * size)));

describe('storeAsGzipBlob', () => {
  it('stores an uncompressed entry as gzip: raw digest for the diff id, stored digest for the registry', async () => {
    const s = store();
    const blob = await storeAsGzipBlob(chunks(layer), s);
    expect(blob.rawDigest).toBe(sha256Digest(layer));
    expect(blob.rawSize).toBe(layer.length);
    expect(blob.wasCompressed).toBe(false);
    const stored = await s.read(blob.digest);
    expect(stored[0]).toBe(0x1f);
    expect(stored[1]).toBe(0x8b);
    expect(sha256Digest(stored)).toBe(blob.digest);
    expect(blob.size).toBe(stored.length);
    expect(blob.size).toBeLessThan(layer.length);
    expect(zlib.gunzipSync(stored).equals(layer)).toBe(true);
    expect(blob.small?.equals(layer)).toBe(true);
    expect(s.path(blob.digest)).toBe(path.join(s.root, 'blobs', 'sha256', blob.digest.slice('sha256:'.length)));
  });

  it('gives the same digest for the same content on a second store (and chunking does not matter)', async () => {
    const s = store();
    const first = await storeAsGzipBlob(chunks(layer), s);
    const second = await storeAsGzipBlob(chunks(layer, 16_384), s);
    const elsewhere = await storeAsGzipBlob(chunks(layer, 5000), store());
    const { small: firstSmall, ...firstRest } = first;
    const { small: secondSmall, ...secondRest } = second;
    expect(secondRest).toEqual(firstRest);
    expect(secondSmall!.equals(firstSmall!)).toBe(true);
    expect(elsewhere.digest).toBe(first.digest);
    // The second store committed onto an existing blob: no leftovers in tmp.
    expect(fs.readdirSync(path.join(s.root, 'tmp'))).toEqual([]);
    expect(fs.readdirSync(path.join(s.root, 'blobs', 'sha256'))).toEqual([first.digest.slice(7)]);
  });

  it('stores an entry that is already gzip unchanged', async () => {
    const s = store();
    const gz = zlib.gzipSync(layer, { level: 1 });
    const blob = await storeAsGzipBlob(chunks(gz, 4096), s);
    expect(blob).toMatchObject({ wasCompressed: true, rawDigest: sha256Digest(gz), digest: sha256Digest(gz), size: gz.length, rawSize: gz.length });
    expect((await s.read(blob.digest)).equals(gz)).toBe(true);
  });

  it('recognises gzip even when its two magic bytes arrive in separate chunks', async () => {
    const s = store();
    const gz = zlib.gzipSync(layer);
    const blob = await storeAsGzipBlob(Readable.from([gz.subarray(0, 1), gz.subarray(1, 10), gz.subarray(10)]), s);
    expect(blob).toMatchObject({ wasCompressed: true, digest: sha256Digest(gz), size: gz.length });
    expect((await s.read(blob.digest)).equals(gz)).toBe(true);
  });

  it('compresses an entry that starts with a lone byte that is not gzip', async () => {
    const s = store();
    const blob = await storeAsGzipBlob(Readable.from([layer.subarray(0, 1), layer.subarray(1)]), s);
    expect(blob).toMatchObject({ wasCompressed: false, rawDigest: sha256Digest(layer) });
    expect(zlib.gunzipSync(await s.read(blob.digest)).equals(layer)).toBe(true);
    const tiny = await storeAsGzipBlob(Readable.from([Buffer.from('x')]), s);
    expect(zlib.gunzipSync(await s.read(tiny.digest)).toString()).toBe('x');
  });

  it('keeps the raw bytes only for small entries', async () => {
    const big = Buffer.alloc(1024 * 1024 + 1, 'a');
    const blob = await storeAsGzipBlob(chunks(big), store());
    expect(blob.small).toBeUndefined();
    expect(blob.rawSize).toBe(big.length);
    const config = Buffer.from('{"architecture":"arm64","os":"linux"}');
    expect((await storeAsGzipBlob(Readable.from([config]), store())).small?.toString()).toBe(config.toString());
  });
});
