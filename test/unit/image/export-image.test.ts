/**
 * Reading a `docker save` archive into the blob store. The archive comes from a child process whose
 * stdout starts flowing as soon as it is spawned (execa reads what nobody else does): the extractor
 * must be piped to at once. Regression: the tar module was loaded between the spawn and the pipe,
 * and the first export of a run on a busy machine lost the archive's start ("Invalid tar header").
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import tar from 'tar-stream';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { BlobStore } from '../../../src/image/blob-store.js';
import { sha256Digest } from '../../../src/image/descriptor.js';
import { exportImage } from '../../../src/image/export-image.js';

// tar-stream loading as slowly as a first load from disk on a busy machine.
vi.mock('../../../src/image/load-tar.js', () => ({
  loadTar: () => new Promise((resolve) => setTimeout(() => resolve(tar), 50)),
}));

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

async function pack(files: Record<string, Buffer>): Promise<Buffer> {
  const p = tar.pack();
  for (const [name, content] of Object.entries(files)) p.entry({ name, size: content.length }, content);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A docker-archive of one image with one layer, and its image id. */
async function archive(): Promise<{ bytes: Buffer; imageId: string }> {
  const layer = await pack({ 'hello.txt': Buffer.from('hello\n') });
  const config = Buffer.from(JSON.stringify({ architecture: 'arm64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256Digest(layer)] } }));
  const imageId = sha256Digest(config);
  const hex = imageId.slice('sha256:'.length);
  const manifest = Buffer.from(JSON.stringify([{ Config: `${hex}.json`, RepoTags: null, Layers: ['abc/layer.tar'] }]));
  return { bytes: await pack({ [`${hex}.json`]: config, 'abc/layer.tar': layer, 'manifest.json': manifest }), imageId };
}

describe('exportImage', () => {
  it('reads an archive whose stream flows from the moment the save starts', async () => {
    const { bytes, imageId } = await archive();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'multiarch-export-'));
    roots.push(root);
    const exported = await exportImage(
      async () => {
        // Like a spawned process: the bytes come on the next turn whether or not anyone listens.
        const stdout = new PassThrough();
        stdout.resume();
        setImmediate(() => stdout.end(bytes));
        return { stdout, done: new Promise((resolve) => stdout.on('end', () => setImmediate(() => resolve({ exitCode: 0, stderr: '', canceled: false })))) };
      },
      imageId,
      new BlobStore(root),
    );
    expect(exported.imageId).toBe(imageId);
    expect(exported.platform).toEqual({ os: 'linux', architecture: 'arm64' });
    expect(exported.layers).toHaveLength(1);
  });
});

/** A save whose archive is `bytes`. */
const saving = (bytes: Buffer) => async () => {
  const stdout = new PassThrough();
  setImmediate(() => stdout.end(bytes));
  return { stdout, done: new Promise<{ exitCode: number; stderr: string; canceled: boolean }>((resolve) => stdout.on('end', () => setImmediate(() => resolve({ exitCode: 0, stderr: '', canceled: false })))) };
};

/** An image of a base layer and a layer of its own, archived as docker save writes it: legacy (`<v1 id>/layer.tar`) or OCI (`blobs/sha256/<diff id>`). */
async function twoLayerArchive(oci: boolean, lie = false) {
  const baseLayer = await pack({ 'bin/sh': Buffer.alloc(4096, 7) });
  const ownLayer = await pack({ 'www/index.html': Buffer.from('<p>hi</p>\n') });
  const diffIds = [sha256Digest(baseLayer), sha256Digest(ownLayer)];
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: diffIds } }));
  const imageId = sha256Digest(config);
  const hex = (d: string) => d.slice('sha256:'.length);
  // A lying archive names the base layer's diff id for other bytes.
  const baseBytes = lie ? ownLayer : baseLayer;
  const files: Record<string, Buffer> = oci
    ? { [`blobs/sha256/${hex(imageId)}`]: config, [`blobs/sha256/${hex(diffIds[0]!)}`]: baseBytes, [`blobs/sha256/${hex(diffIds[1]!)}`]: ownLayer }
    : { [`${hex(imageId)}.json`]: config, 'aaa/layer.tar': baseBytes, 'bbb/layer.tar': ownLayer };
  const layers = oci ? diffIds.map((d) => `blobs/sha256/${hex(d)}`) : ['aaa/layer.tar', 'bbb/layer.tar'];
  files['manifest.json'] = Buffer.from(JSON.stringify([{ Config: oci ? `blobs/sha256/${hex(imageId)}` : `${hex(imageId)}.json`, RepoTags: null, Layers: layers }]));
  const held = { diffId: diffIds[0]!, digest: `sha256:${'b'.repeat(64)}`, size: 321, host: '127.0.0.1:5000', repository: 'hermetic/busybox' };
  return { bytes: await pack(files), imageId, diffIds, held };
}

describe('exportImage with layers a registry holds', () => {
  for (const oci of [false, true]) {
    it(`sends the base's blob for its layer instead of gzip'ing it (${oci ? 'OCI' : 'legacy'} archive)`, async () => {
      const { bytes, imageId, diffIds, held } = await twoLayerArchive(oci);
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'multiarch-export-'));
      roots.push(root);
      const store = new BlobStore(root);
      const exported = await exportImage(saving(bytes), imageId, store, undefined, [held]);
      expect(exported.layers[0]).toEqual({ digest: held.digest, size: 321, diffId: diffIds[0], tarSize: expect.any(Number), from: { host: '127.0.0.1:5000', repository: 'hermetic/busybox' } });
      // The layer of its own is gzip'd into the store as before; the base's is not stored at all.
      const own = exported.layers[1]!;
      expect(own.from).toBeUndefined();
      expect(own.diffId).toBe(diffIds[1]);
      expect(await store.has(own.digest)).toBe(true);
      const stored = fs.readdirSync(path.join(root, 'blobs/sha256'));
      expect(stored).toEqual(expect.arrayContaining([imageId.slice(7), own.digest.slice(7)]));
      expect(stored).not.toContain(held.digest.slice(7));
      expect(fs.readdirSync(path.join(root, 'tmp'))).toEqual([]);
      // Remembered: the next export of the image reads nothing, though the held blob is not here.
      const again = await exportImage(async () => {
        throw new Error('exported twice');
      }, imageId, store);
      expect(again).toEqual(exported);
    });
  }

  it('checks a held layer by its bytes: an archive naming it for other bytes fails', async () => {
    const { bytes, imageId, held } = await twoLayerArchive(true, true);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'multiarch-export-'));
    roots.push(root);
    await expect(exportImage(saving(bytes), imageId, new BlobStore(root), undefined, [held])).rejects.toMatchObject({ code: 'E_EXPORT_FAILED', message: expect.stringContaining('layer 1') });
  });
});
