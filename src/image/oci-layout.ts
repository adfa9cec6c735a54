/**
 * The files of an OCI image layout (image-spec `image-layout.md`): `oci-layout` with its version,
 * `index.json` whose descriptors name images through `org.opencontainers.image.ref.name`, and
 * `blobs/sha256/<hex>`. multiarch names an image `<repository>:<tag>` (e.g. `team/web:v1`), so
 * `skopeo copy --all oci:<dir>:team/web:v1 docker://…/team/web:v1` copies it where it belongs.
 * Pure: documents in, documents out.
 */
import type { Descriptor } from './descriptor.js';
import { MEDIA } from './media-types.js';

export const LAYOUT_VERSION = '1.0.0';
export const REF_NAME = 'org.opencontainers.image.ref.name';

export interface LayoutDescriptor extends Descriptor {
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface LayoutIndex {
  readonly schemaVersion: 2;
  readonly mediaType: string;
  readonly manifests: readonly LayoutDescriptor[];
}

export function emptyLayoutIndex(): LayoutIndex {
  return { schemaVersion: 2, mediaType: MEDIA.oci.index, manifests: [] };
}

export function layoutRefName(repository: string, tag: string): string {
  return `${repository}:${tag}`;
}

export function findRef(index: LayoutIndex, refName: string): LayoutDescriptor | undefined {
  return index.manifests.find((d) => d.annotations?.[REF_NAME] === refName);
}

/** The index with `refName` pointing at `target` (moved when it pointed elsewhere), others kept. */
export function setRef(index: LayoutIndex, target: Descriptor, refName: string): LayoutIndex {
  const others = index.manifests.filter((d) => d.annotations?.[REF_NAME] !== refName);
  const entry: LayoutDescriptor = { mediaType: target.mediaType, digest: target.digest, size: target.size, annotations: { [REF_NAME]: refName } };
  return { ...index, manifests: [...others, entry] };
}

export type ParsedLayoutIndex = { ok: true; index: LayoutIndex } | { ok: false; message: string };

export function parseLayoutIndex(text: string): ParsedLayoutIndex {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `index.json is not JSON: ${(error as Error).message}` };
  }
  const index = parsed as Partial<LayoutIndex>;
  if (index?.schemaVersion !== 2 || !Array.isArray(index.manifests)) return { ok: false, message: 'index.json is not an OCI image index (schemaVersion 2 with manifests)' };
  return { ok: true, index: { ...index, mediaType: index.mediaType ?? MEDIA.oci.index } as LayoutIndex };
}

/** The version in an `oci-layout` file, or why it is not one. */
export function parseLayoutMarker(text: string): { ok: true; version: string } | { ok: false; message: string } {
  try {
    const version = (JSON.parse(text) as { imageLayoutVersion?: unknown }).imageLayoutVersion;
    if (typeof version === 'string') return { ok: true, version };
  } catch {
    // fall through
  }
  return { ok: false, message: 'oci-layout has no imageLayoutVersion' };
}
