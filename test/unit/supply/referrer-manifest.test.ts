/**
 * The OCI 1.1 referrer form of a .sig/.att: an image manifest with cosign's artifactType, OCI's
 * empty config, the tag manifest's very layers and the signed image as `subject` — the shape the
 * distribution spec's referrers API lists (it indexes `subject`, reports `artifactType`).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { attachmentConfig, attachmentManifest, layerOf, referrerManifest } from '../../../src/supply/cosign-layout.js';

const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const subject = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha('image'), size: 1234 };
const layers = [layerOf('application/vnd.dev.cosign.simplesigning.v1+json', Buffer.from('{"critical":{}}'), { 'dev.cosignproject.cosign/signature': 'MEUC' })];

describe('referrerManifest', () => {
  it('is an OCI image manifest with artifactType, the empty config, the layers and the subject', () => {
    const m = referrerManifest('sig', layers, subject);
    const doc = JSON.parse(m.bytes.toString('utf8'));
    expect(m.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(m.digest).toBe(sha(m.bytes));
    expect(m.size).toBe(m.bytes.length);
    expect(doc).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
      // The OCI 1.1 empty descriptor, byte for byte.
      config: { mediaType: 'application/vnd.oci.empty.v1+json', size: 2, digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a' },
      layers: [{ mediaType: layers[0]!.mediaType, size: layers[0]!.size, digest: layers[0]!.digest, annotations: layers[0]!.annotations }],
      subject,
    });
    expect(JSON.parse(referrerManifest('att', layers, subject).bytes.toString('utf8')).artifactType).toBe('application/vnd.dev.cosign.artifact.att.v1+json');
  });

  it('carries the same layers as the tag manifest, and its digest follows from them alone', () => {
    const tag = JSON.parse(attachmentManifest(layers, attachmentConfig(layers)).bytes.toString('utf8'));
    const ref = JSON.parse(referrerManifest('sig', layers, subject).bytes.toString('utf8'));
    expect(ref.layers).toEqual(tag.layers);
    expect(tag.subject).toBeUndefined(); // the tag layout stays as cosign reads it
    expect(referrerManifest('sig', layers, subject).digest).toBe(referrerManifest('sig', [...layers], { ...subject }).digest);
    expect(referrerManifest('sig', layers, { ...subject, digest: sha('other') }).digest).not.toBe(referrerManifest('sig', layers, subject).digest);
  });
});
