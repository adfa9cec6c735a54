/**
 * A legacy archive's layer, whose digest is known only once read: a base's layer is hashed and not
 * stored, any other is gzip'd into the store — whether its bytes waited in memory or, past the
 * limit, in a temp file (removed either way).
 */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { BlobStore } from '../../../src/image/blob-store.js';
import { sha256Digest } from '../../../src/image/descriptor.js';
import type { HeldLayer } from '../../../src/image/held-layers.js';
import { isHeld, storeLayer } from '../../../src/image/layer-entry.js';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

function freshStore(): { store: BlobStore; root: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'multiarch-layer-entry-'));
  roots.push(root);
  return { store: new BlobStore(root), root };
}

/** `bytes` in chunks of 16 KiB, as an archive entry arrives. */
const entry = (bytes: Buffer) => Readable.from(Array.from({ length: Math.ceil(bytes.length / 16384) }, (_, i) => bytes.subarray(i * 16384, (i + 1) * 16384)));

const heldFor = (bytes: Buffer): HeldLayer => ({ diffId: sha256Digest(bytes), digest: `sha256:${'c'.repeat(64)}`, size: 99, host: 'registry.test', repository: 'library/base' });

describe('storeLayer (legacy archive names)', () => {
  for (const spillAt of [1024 * 1024, 10_000]) {
    const where = spillAt > 100_000 ? 'in memory' : 'in a temp file';
    it(`hashes a base's layer without storing it (bytes kept ${where})`, async () => {
      const { store, root } = freshStore();
      const bytes = randomBytes(100_000);
      const other = randomBytes(10);
      const blob = await storeLayer('abc/layer.tar', entry(bytes), store, new Map([[sha256Digest(bytes), heldFor(bytes)], [sha256Digest(other), heldFor(other)]]), spillAt);
      expect(isHeld(blob) && blob).toEqual({ held: heldFor(bytes), rawDigest: sha256Digest(bytes), rawSize: 100_000 });
      expect(fs.existsSync(path.join(root, 'blobs'))).toBe(false);
      // Nothing left behind: no temp file (none made, or removed).
      expect(fs.existsSync(path.join(root, 'tmp')) ? fs.readdirSync(path.join(root, 'tmp')) : []).toEqual([]);
    });

    it(`gzips any other layer into the store (bytes kept ${where})`, async () => {
      const { store, root } = freshStore();
      const bytes = randomBytes(100_000);
      const base = randomBytes(100);
      const blob = await storeLayer('abc/layer.tar', entry(bytes), store, new Map([[sha256Digest(base), heldFor(base)]]), spillAt);
      if (isHeld(blob)) throw new Error('not a base layer');
      expect(blob).toMatchObject({ rawDigest: sha256Digest(bytes), rawSize: 100_000, wasCompressed: false });
      expect(gunzipSync(await store.read(blob.digest))).toEqual(bytes);
      expect(sha256Digest(await store.read(blob.digest))).toBe(blob.digest);
      expect(fs.readdirSync(path.join(root, 'tmp'))).toEqual([]);
    });
  }
});
