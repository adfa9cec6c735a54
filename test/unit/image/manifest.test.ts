import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createImageIndex, createImageManifest, type IndexChild } from '../../../src/image/manifest.js';
import { isIndexMediaType, MANIFEST_ACCEPT, MEDIA } from '../../../src/image/media-types.js';

const hex = (c: string) => c.repeat(64);
const image = {
  config: { digest: `sha256:${hex('c')}`, size: 1469 },
  layers: [
    { digest: `sha256:${hex('1')}`, size: 3_623_807 },
    { digest: `sha256:${hex('2')}`, size: 512 },
  ],
};
const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

describe('createImageManifest', () => {
  it('writes an OCI manifest whose digest and size are those of the exact bytes', () => {
    const doc = createImageManifest(image, 'oci');
    expect(doc.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(doc.digest).toBe(sha256(doc.bytes));
    expect(doc.size).toBe(doc.bytes.length);
    expect(JSON.parse(doc.bytes.toString('utf8'))).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: image.config.digest, size: 1469 },
      layers: [
        { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: image.layers[0]!.digest, size: 3_623_807 },
        { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: image.layers[1]!.digest, size: 512 },
      ],
    });
  });

  it('writes a Docker schema 2 manifest with Docker media types', () => {
    const doc = createImageManifest(image, 'docker');
    const json = JSON.parse(doc.bytes.toString('utf8'));
    expect(doc.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(json.mediaType).toBe(doc.mediaType);
    expect(json.config.mediaType).toBe('application/vnd.docker.container.image.v1+json');
    expect(json.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual([
      'application/vnd.docker.image.rootfs.diff.tar.gzip',
      'application/vnd.docker.image.rootfs.diff.tar.gzip',
    ]);
    expect(doc.digest).toBe(sha256(doc.bytes));
    expect(doc.digest).not.toBe(createImageManifest(image, 'oci').digest);
  });

  it('is deterministic: the same content gives the same bytes and digest', () => {
    const a = createImageManifest(image, 'oci');
    const b = createImageManifest(structuredClone(image), 'oci');
    expect(b.bytes.equals(a.bytes)).toBe(true);
    expect(b.digest).toBe(a.digest);
  });
});

describe('createImageIndex', () => {
  const amd64 = createImageManifest(image, 'oci');
  const arm = createImageManifest({ ...image, layers: [image.layers[1]!] }, 'oci');
  const children: IndexChild[] = [
    { mediaType: amd64.mediaType, digest: amd64.digest, size: amd64.size, platform: { os: 'linux', architecture: 'amd64' } },
    { mediaType: arm.mediaType, digest: arm.digest, size: arm.size, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
  ];

  it('lists each child with its platform, the variant only where there is one', () => {
    const doc = createImageIndex(children, 'oci');
    expect(doc.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(doc.digest).toBe(sha256(doc.bytes));
    expect(doc.size).toBe(doc.bytes.length);
    expect(JSON.parse(doc.bytes.toString('utf8'))).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { mediaType: amd64.mediaType, digest: amd64.digest, size: amd64.size, platform: { architecture: 'amd64', os: 'linux' } },
        { mediaType: arm.mediaType, digest: arm.digest, size: arm.size, platform: { architecture: 'arm', os: 'linux', variant: 'v7' } },
      ],
    });
  });

  it('adds annotations to an OCI index only when there are some', () => {
    const annotations = { 'org.opencontainers.image.revision': 'abc123' };
    expect(JSON.parse(createImageIndex(children, 'oci', annotations).bytes.toString('utf8')).annotations).toEqual(annotations);
    expect(JSON.parse(createImageIndex(children, 'oci', {}).bytes.toString('utf8'))).not.toHaveProperty('annotations');
    expect(createImageIndex(children, 'oci', annotations).digest).not.toBe(createImageIndex(children, 'oci').digest);
  });

  it('writes a Docker manifest list, which has no annotations field', () => {
    const doc = createImageIndex(children, 'docker', { 'org.opencontainers.image.revision': 'abc123' });
    const json = JSON.parse(doc.bytes.toString('utf8'));
    expect(doc.mediaType).toBe('application/vnd.docker.distribution.manifest.list.v2+json');
    expect(json.mediaType).toBe(doc.mediaType);
    expect(json).not.toHaveProperty('annotations');
    expect(json.manifests).toHaveLength(2);
    expect(doc.digest).toBe(sha256(doc.bytes));
  });
});

describe('media types', () => {
  it('accepts every manifest type multiarch reads and tells indexes apart', () => {
    expect(MANIFEST_ACCEPT.split(', ')).toEqual([MEDIA.oci.manifest, MEDIA.oci.index, MEDIA.docker.manifest, MEDIA.docker.index]);
    expect(isIndexMediaType(MEDIA.oci.index)).toBe(true);
    expect(isIndexMediaType(MEDIA.docker.index)).toBe(true);
    expect(isIndexMediaType(MEDIA.oci.manifest)).toBe(false);
    expect(isIndexMediaType(undefined)).toBe(false);
  });
});
