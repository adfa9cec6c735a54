/**
 * A base layer fetched in this run is listed from its bytes while the other blobs are still
 * coming: the stage's tree is then built without reading the layer back from the blob store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { listFetchedLayer, readBaseTree } from '../../../src/direct/base-tree.js';
import { createTar } from '../../../src/direct/layer-tar.js';
import { SharedWork } from '../../../src/direct/shared-work.js';
import type { FsEntry } from '../../../src/direct/fs-tree.js';
import { BlobStore } from '../../../src/image/blob-store.js';
import { sha256Digest } from '../../../src/image/descriptor.js';

const entries: FsEntry[] = [
  { path: '/bin', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
  { path: '/bin/busybox', type: 'file', mode: 0o755, uid: 0, gid: 0, content: { kind: 'bytes', bytes: Buffer.alloc(5000, 7) } },
  { path: '/bin/sh', type: 'hardlink', mode: 0o755, uid: 0, gid: 0, link: '/bin/busybox' },
  { path: '/etc', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
];

async function storedLayer(gzip: boolean) {
  const store = new BlobStore(mkdtempSync(path.join(os.tmpdir(), 'base-tree-')));
  const tar = await createTar(entries, 0, (async (c: { bytes: Buffer }) => c.bytes) as never);
  const bytes = gzip ? zlib.gzipSync(tar) : tar;
  const digest = sha256Digest(bytes);
  await store.put(digest, bytes);
  return { store, digest, bytes };
}

const paths = (t: Awaited<ReturnType<typeof readBaseTree>>) => t.all().map((e) => `${e.path} ${e.type}`);

describe('readBaseTree', () => {
  it('builds the tree from the listing made of the fetched bytes, without reading the stored layer', async () => {
    for (const gzip of [true, false]) {
      const { store, digest, bytes } = await storedLayer(gzip);
      const fromFile = await readBaseTree([digest], store, new SharedWork());
      const shared = new SharedWork();
      listFetchedLayer(shared, digest, bytes);
      rmSync(store.path(digest));
      expect(paths(await readBaseTree([digest], store, shared))).toEqual(paths(fromFile));
      expect(paths(fromFile)).toEqual(['/ dir', '/bin dir', '/bin/busybox file', '/bin/sh hardlink', '/etc dir']);
      // Not listed ahead: the stored layer is read, and here it is gone.
      await expect(readBaseTree([digest], store, new SharedWork())).rejects.toThrow();
    }
  });

  it('fails the stage that reads a layer whose fetched bytes are not a tar, and nothing before', async () => {
    const { store, digest } = await storedLayer(true);
    const shared = new SharedWork();
    listFetchedLayer(shared, digest, Buffer.from('not a tar at all'.repeat(64)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(readBaseTree([digest], store, shared)).rejects.toThrow('Invalid tar header');
  });
});
