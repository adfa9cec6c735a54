/**
 * A direct build's base is read by the digest the plan resolved it to (its inputs name that
 * digest): one manifest request, no tag; the tag only when that digest is gone.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fetchBaseImage } from '../../../src/direct/base-image.js';
import { readBaseTree } from '../../../src/direct/base-tree.js';
import { SharedWork } from '../../../src/direct/shared-work.js';
import { BlobStore } from '../../../src/image/blob-store.js';
import type { RegistryAccess } from '../../../src/state/registry-access.js';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const INDEX = 'application/vnd.oci.image.index.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

function registry(options: { gone?: string } = {}) {
  const calls: string[] = [];
  const docs = new Map<string, { mediaType: string; bytes: Buffer }>();
  const blobs = new Map<string, Buffer>();
  const children = ['amd64', 'arm64'].map((architecture) => {
    const config = Buffer.from(JSON.stringify({ os: 'linux', architecture, rootfs: { type: 'layers', diff_ids: ['sha256:x'] } }));
    // An empty tar (two zero blocks): a layer with no entries.
    const layer = zlib.gzipSync(Buffer.alloc(1024 + architecture.length * 512));
    blobs.set(sha(config), config).set(sha(layer), layer);
    const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST, config: { digest: sha(config), size: config.length }, layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha(layer), size: layer.length }] }));
    docs.set(sha(bytes), { mediaType: MANIFEST, bytes });
    return { digest: sha(bytes), platform: { os: 'linux', architecture } };
  });
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: INDEX, manifests: children.map((c) => ({ mediaType: MANIFEST, size: 1, ...c })) }));
  docs.set('latest', { mediaType: INDEX, bytes: index });
  if (options.gone) docs.delete(options.gone);
  const client = {
    getManifest: async (_repo: string, ref: string) => {
      calls.push(`GET manifest ${ref}`);
      const d = docs.get(ref);
      return d && { digest: ref.startsWith('sha256:') ? ref : sha(d.bytes), mediaType: d.mediaType, bytes: d.bytes };
    },
    getBlob: async (_repo: string, digest: string) => {
      calls.push(`GET blob ${digest}`);
      return blobs.get(digest)!;
    },
  };
  const access = { client: () => client, limit: (fn: () => Promise<unknown>) => fn() } as unknown as RegistryAccess;
  return { access, calls, children };
}

const store = () => new BlobStore(mkdtempSync(path.join(os.tmpdir(), 'base-image-')));
const arm64 = { os: 'linux', architecture: 'arm64' };

describe('fetchBaseImage', () => {
  it('reads the planned digest, not the tag', async () => {
    const { access, calls, children } = registry();
    const planned = children[1]!.digest;
    const base = await fetchBaseImage(access, 'registry.example/busybox:latest', arm64, store(), new SharedWork(), { planned });
    expect(base.digest).toBe(planned);
    expect(base.config.architecture).toBe('arm64');
    expect(calls.filter((c) => c.startsWith('GET manifest'))).toEqual([`GET manifest ${planned}`]);
  });

  it('resolves the tag (then its child) without a planned digest, or when the planned one is gone', async () => {
    for (const gone of [undefined, 'sha256:'.padEnd(71, '0')]) {
      const { access, calls, children } = registry(gone ? { gone } : {});
      const base = await fetchBaseImage(access, 'registry.example/busybox:latest', arm64, store(), new SharedWork(), gone ? { planned: gone } : {});
      expect(base.digest).toBe(children[1]!.digest);
      expect(calls.filter((c) => c.startsWith('GET manifest'))).toEqual([...(gone ? [`GET manifest ${gone}`] : []), 'GET manifest latest', `GET manifest ${children[1]!.digest}`]);
    }
  });

  it('lists the layers it fetches when the stage will read its filesystem (no read back from the store)', async () => {
    const { access } = registry();
    const shared = new SharedWork();
    const blobs = store();
    const base = await fetchBaseImage(access, 'registry.example/busybox:latest', arm64, blobs, shared, { listLayers: true });
    const digests = base.layers.map((l) => l.digest);
    for (const d of digests) rmSync(blobs.path(d));
    expect((await readBaseTree(digests, blobs, shared)).all().map((e) => e.path)).toEqual(['/']);
    await expect(readBaseTree(digests, blobs, new SharedWork())).rejects.toThrow();
  });
});
