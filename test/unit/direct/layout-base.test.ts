/**
 * A base read from an OCI image layout as multiarch writes one (index.json naming `repo:tag`,
 * blobs by digest): a tag or a digest, an index's child picked for the platform, the layers put
 * in the blob store for the pushes; a missing platform, a missing name and a non-gzip layer are
 * clear errors.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlatform } from '../../../src/config/platform.js';
import { parseLayoutBaseRef, readLayoutBase } from '../../../src/direct/layout-base.js';
import { SharedWork } from '../../../src/direct/shared-work.js';
import { BlobStore } from '../../../src/image/blob-store.js';
import { sha256Digest } from '../../../src/image/descriptor.js';
import { MEDIA } from '../../../src/image/media-types.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
const temp = (prefix: string) => {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
};
const platform = (text: string) => {
  const p = parsePlatform(text);
  if (!p.ok) throw new Error(text);
  return p.platform;
};

/** A layout with `team/base:v1` → an index of amd64 and arm64 images, each one layer of its own. */
function writeLayout(layerType: string = MEDIA.oci.layerGzip) {
  const dir = temp('layout-base-');
  mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  const put = (bytes: Buffer | string) => {
    const b = Buffer.from(bytes);
    const digest = sha256Digest(b);
    writeFileSync(path.join(dir, 'blobs', 'sha256', digest.slice(7)), b);
    return { digest, size: b.length };
  };
  const children = ['amd64', 'arm64'].map((arch) => {
    const layer = put(gzipSync(Buffer.from(`layer of ${arch}`)));
    const config = put(JSON.stringify({ architecture: arch, os: 'linux', config: { Env: [`ARCH=${arch}`] }, rootfs: { type: 'layers', diff_ids: [sha256Digest(`layer of ${arch}`)] } }));
    const manifest = put(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.oci.manifest, config: { mediaType: MEDIA.oci.config, ...config }, layers: [{ mediaType: layerType, ...layer }] }));
    return { arch, layer, manifest };
  });
  const index = put(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.oci.index, manifests: children.map((c) => ({ mediaType: MEDIA.oci.manifest, ...c.manifest, platform: { os: 'linux', architecture: c.arch } })) }));
  const named = (name: string, d: { digest: string; size: number }, mediaType: string) => ({ mediaType, ...d, annotations: { 'org.opencontainers.image.ref.name': name } });
  writeFileSync(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    path.join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.oci.index, manifests: [named('team/base:v1', index, MEDIA.oci.index), named('team/base:v1-linux-arm64', children[1]!.manifest, MEDIA.oci.manifest), named('team/other:v1', children[0]!.manifest, MEDIA.oci.manifest)] }),
  );
  return { dir, children };
}

describe('a base from an OCI layout', () => {
  it('parses the layout ref the plan passes (oci:<dir>:<repository>@digest or :tag)', () => {
    expect(parseLayoutBaseRef('oci:/x/out:team/base@sha256:ab')).toEqual({ dir: '/x/out', repository: 'team/base', reference: 'sha256:ab' });
    expect(parseLayoutBaseRef('oci:/x/out:team/base:v1')).toEqual({ dir: '/x/out', repository: 'team/base', reference: 'v1' });
    expect(parseLayoutBaseRef('oci:/x/out:team/base')).toEqual({ dir: '/x/out', repository: 'team/base', reference: 'latest' });
    expect(parseLayoutBaseRef('127.0.0.1:5000/team/base@sha256:ab')).toBeUndefined();
  });

  it("picks the platform's image from the index a tag names, and puts its layers in the blob store", async () => {
    const { dir, children } = writeLayout();
    const store = new BlobStore(temp('layout-store-'));
    const base = await readLayoutBase(`oci:${dir}:team/base:v1`, platform('linux/arm64'), store, new SharedWork());
    const arm = children[1]!;
    expect(base).toMatchObject({ digest: arm.manifest.digest, config: { architecture: 'arm64', config: { Env: ['ARCH=arm64'] } }, layers: [{ digest: arm.layer.digest, size: arm.layer.size }] });
    expect(readFileSync(store.path(arm.layer.digest))).toEqual(readFileSync(path.join(dir, 'blobs', 'sha256', arm.layer.digest.slice(7))));
    expect(await store.has(children[0]!.layer.digest)).toBe(false);
  });

  it('reads a platform image by digest (what a ref() arg carries) and by its platform tag', async () => {
    const { dir, children } = writeLayout();
    const store = new BlobStore(temp('layout-store-'));
    const amd = children[0]!;
    expect(await readLayoutBase(`oci:${dir}:team/base@${amd.manifest.digest}`, platform('linux/amd64'), store, new SharedWork())).toMatchObject({ digest: amd.manifest.digest, config: { architecture: 'amd64' } });
    expect(await readLayoutBase(`oci:${dir}:team/base:v1-linux-arm64`, platform('linux/arm64'), store, new SharedWork())).toMatchObject({ digest: children[1]!.manifest.digest });
  });

  it('a platform the index lacks, a name index.json lacks, a missing layout: errors that say so', async () => {
    const { dir } = writeLayout();
    const store = new BlobStore(temp('layout-store-'));
    await expect(readLayoutBase(`oci:${dir}:team/base:v1`, platform('linux/arm/v7'), store, new SharedWork())).rejects.toMatchObject({
      code: 'E_DIRECT_BASE',
      message: `base image oci:${dir}:team/base:v1 has no linux/arm/v7 image`,
      hint: expect.stringContaining('holds it for linux/amd64, linux/arm64'),
    });
    await expect(readLayoutBase(`oci:${dir}:team/base:v2`, platform('linux/amd64'), store, new SharedWork())).rejects.toMatchObject({ message: expect.stringContaining(`${dir} has no image named team/base:v2`) });
    await expect(readLayoutBase(`oci:${dir}/nope:team/base:v1`, platform('linux/amd64'), store, new SharedWork())).rejects.toMatchObject({ message: expect.stringContaining('is not an OCI image layout (no index.json)') });
  });

  it('refuses layers that are not gzip, as for a registry base', async () => {
    const { dir } = writeLayout('application/vnd.oci.image.layer.v1.tar+zstd');
    await expect(readLayoutBase(`oci:${dir}:team/base:v1`, platform('linux/amd64'), new BlobStore(temp('layout-store-')), new SharedWork())).rejects.toMatchObject({
      code: 'E_DIRECT_BASE',
      message: expect.stringContaining('has a application/vnd.oci.image.layer.v1.tar+zstd layer; direct assembly handles gzip layers'),
    });
  });
});
