/**
 * Builds the JSON documents a registry stores: a platform image manifest (config + gzip layers)
 * and a multi-arch index, in OCI or Docker form. The bytes returned are exactly what is pushed,
 * so their digest is the manifest's digest; and reads the one field of a stored manifest that
 * callers follow (its config). Pure.
 */
import type { ManifestFormat } from '../config/resolved.js';
import type { Platform } from '../config/platform.js';
import { sha256Digest, type Descriptor } from './descriptor.js';
import { MEDIA } from './media-types.js';

export interface ImageContent {
  /** The image config blob (its digest is the engine's image id). */
  readonly config: { readonly digest: string; readonly size: number };
  /** Compressed layers, bottom first. */
  readonly layers: ReadonlyArray<{ readonly digest: string; readonly size: number }>;
}

export interface ManifestDocument extends Descriptor {
  readonly bytes: Buffer;
}

/** `annotations` (OCI only: Docker schema 2 has no such field) from the config's `annotations.manifest`. */
export function createImageManifest(image: ImageContent, format: ManifestFormat, annotations: Readonly<Record<string, string>> = {}): ManifestDocument {
  const media = MEDIA[format];
  const doc = {
    schemaVersion: 2,
    mediaType: media.manifest,
    config: { mediaType: media.config, digest: image.config.digest, size: image.config.size },
    layers: image.layers.map((l) => ({ mediaType: media.layerGzip, digest: l.digest, size: l.size })),
    ...(format === 'oci' && Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
  return toDocument(doc, media.manifest);
}

export interface IndexChild extends Descriptor {
  readonly platform: Platform;
  /** Descriptor annotations (OCI only), e.g. the inputs digest the child was built from. */
  readonly annotations?: Readonly<Record<string, string>>;
}

export function createImageIndex(
  children: readonly IndexChild[],
  format: ManifestFormat,
  annotations: Readonly<Record<string, string>> = {},
): ManifestDocument {
  const media = MEDIA[format];
  const doc = {
    schemaVersion: 2,
    mediaType: media.index,
    manifests: children.map((c) => ({
      mediaType: c.mediaType,
      digest: c.digest,
      size: c.size,
      platform: {
        architecture: c.platform.architecture,
        os: c.platform.os,
        ...(c.platform.variant ? { variant: c.platform.variant } : {}),
      },
      ...(format === 'oci' && c.annotations && Object.keys(c.annotations).length > 0 ? { annotations: c.annotations } : {}),
    })),
    // Docker manifest lists have no annotations field.
    ...(format === 'oci' && Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
  return toDocument(doc, media.index);
}

function toDocument(doc: unknown, mediaType: string): ManifestDocument {
  const bytes = Buffer.from(JSON.stringify(doc, null, 2));
  return { bytes, mediaType, digest: sha256Digest(bytes), size: bytes.length };
}

/** The config blob's digest of a stored image manifest; undefined for an index or anything else. */
export function configDigestOf(manifestBytes: Buffer): string | undefined {
  return (JSON.parse(manifestBytes.toString('utf8')) as { config?: { digest?: string } }).config?.digest;
}
