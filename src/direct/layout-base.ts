/**
 * The base of a stage read from an OCI image layout: a `ref()` base published only to layouts
 * arrives as `oci:<dir>:<repository>@<digest>` (the form multiarch writes published refs in, and
 * skopeo reads). A tag is looked up in index.json by the `org.opencontainers.image.ref.name`
 * multiarch writes (`<repository>:<tag>`), a digest is its blob; an index's child is picked for the
 * platform; the config is read and the layers put in the blob store (linked when they share a file
 * system), where the pushes find them as they find a registry base's — so a registry target that
 * never held the base gets its layers uploaded, another layout gets them copied. Edge.
 */
import { copyFile, link, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { formatPlatform, type Platform } from '../config/platform.js';
import { MultiarchError } from '../errors/multiarch-error.js';
import type { BlobStore } from '../image/blob-store.js';
import { isDigest, sha256Digest } from '../image/descriptor.js';
import { isIndexMediaType } from '../image/media-types.js';
import { findRef, layoutRefName, parseLayoutIndex } from '../image/oci-layout.js';
import { canonicalPlatform } from '../state/registry-access.js';
import { checkBaseLayers, type BaseImage, type ManifestJson } from './base-image.js';
import type { ImageConfig } from './image-config.js';
import type { SharedWork } from './shared-work.js';

export interface LayoutBaseRef {
  /** The layout directory (a layout url's directory has no `:`, see config/registry-url.ts). */
  readonly dir: string;
  readonly repository: string;
  /** A tag (an index.json name) or a digest (a blob). */
  readonly reference: string;
}

/** `oci:<dir>:<repository>(:<tag>|@<digest>)`, or undefined for any other reference. */
export function parseLayoutBaseRef(text: string): LayoutBaseRef | undefined {
  if (!text.startsWith('oci:')) return undefined;
  const rest = text.slice('oci:'.length);
  const colon = rest.indexOf(':');
  if (colon <= 0) return undefined;
  const dir = rest.slice(0, colon);
  const name = rest.slice(colon + 1);
  const at = name.indexOf('@');
  if (at >= 0) return { dir, repository: name.slice(0, at), reference: name.slice(at + 1) };
  const tag = name.lastIndexOf(':');
  return tag > 0 ? { dir, repository: name.slice(0, tag), reference: name.slice(tag + 1) } : { dir, repository: name, reference: 'latest' };
}

export async function readLayoutBase(ref: string, platform: Platform, store: BlobStore, shared: SharedWork): Promise<BaseImage> {
  const parsed = parseLayoutBaseRef(ref);
  if (!parsed) throw new MultiarchError('E_DIRECT_BASE', `base image ${JSON.stringify(ref)} is not an OCI layout reference (oci:<dir>:<repository>@<digest>)`);
  const { dir, repository, reference } = parsed;
  const wanted = formatPlatform(platform);
  const blobFile = (digest: string) => {
    if (!isDigest(digest)) throw new MultiarchError('E_DIRECT_BASE', `base image ${ref}: ${JSON.stringify(digest)} in ${dir} is not a sha256 digest`);
    return path.join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
  };
  // Read once per run: every platform and image built on it shares the documents.
  const blob = (digest: string) =>
    shared.once(`layout-blob\0${dir}\0${digest}`, async () => {
      const bytes = await readFile(blobFile(digest)).catch(() => undefined);
      if (!bytes) throw new MultiarchError('E_DIRECT_BASE', `base image ${ref}: blob ${digest} is missing from ${dir}`, { hint: 'the layout is incomplete: apply the base image again' });
      if (sha256Digest(bytes) !== digest) throw new MultiarchError('E_DIGEST_MISMATCH', `base image ${ref}: blob ${digest} in ${dir} has other content`);
      return bytes;
    });
  let digest = reference;
  if (!isDigest(reference)) {
    const index = await shared.once(`layout-index\0${dir}`, () => readLayoutIndex(dir, ref));
    const entry = findRef(index, layoutRefName(repository, reference));
    if (!entry) throw new MultiarchError('E_DIRECT_BASE', `base image ${ref}: ${dir} has no image named ${layoutRefName(repository, reference)}`, { hint: 'publish the base image to that layout first (the same apply does, when it builds it)' });
    digest = entry.digest;
  }
  let doc = JSON.parse((await blob(digest)).toString('utf8')) as ManifestJson;
  if (isIndexMediaType(doc.mediaType) || doc.manifests) {
    const child = doc.manifests?.find((m) => canonicalPlatform(m.platform) === wanted);
    if (!child) {
      const has = (doc.manifests ?? []).map((m) => canonicalPlatform(m.platform)).filter((p) => p !== 'unknown');
      throw new MultiarchError('E_DIRECT_BASE', `base image ${ref} has no ${wanted} image`, { hint: `${dir} holds it for ${has.join(', ') || 'no platform'}: add ${wanted} to the base image's platforms` });
    }
    digest = child.digest;
    doc = JSON.parse((await blob(digest)).toString('utf8')) as ManifestJson;
  }
  if (!doc.config) throw new MultiarchError('E_DIRECT_BASE', `base image ${ref} is not an image manifest`);
  const layers = doc.layers ?? [];
  checkBaseLayers(ref, layers);
  const configDigest = doc.config.digest;
  const [bytes] = await Promise.all([
    blob(configDigest),
    ...layers.map((layer) => shared.once(`blob-stored\0${layer.digest}`, () => storeLayer(blobFile(layer.digest), layer, store, ref))),
  ]);
  return { ref, digest, config: JSON.parse(bytes.toString('utf8')) as ImageConfig, layers };
}

async function readLayoutIndex(dir: string, ref: string) {
  const text = await readFile(path.join(dir, 'index.json'), 'utf8').catch(() => undefined);
  if (text === undefined) throw new MultiarchError('E_DIRECT_BASE', `base image ${ref}: ${dir} is not an OCI image layout (no index.json)`, { hint: 'publish the base image to that layout first (the same apply does, when it builds it)' });
  const parsed = parseLayoutIndex(text);
  if (!parsed.ok) throw new MultiarchError('E_DIRECT_BASE', `base image ${ref}: ${dir}: ${parsed.message}`, { hint: 'repair or remove index.json, then apply the base image again' });
  return parsed.index;
}

/**
 * A layer into the blob store, linked (same file system) or copied. Its size is checked, not its
 * digest: the layout's blobs are written by digest through a checked rename (publish/layout-store),
 * and hashing every base layer again would cost what the engine-free path saves.
 */
async function storeLayer(file: string, layer: { readonly digest: string; readonly size: number }, store: BlobStore, ref: string): Promise<void> {
  if (await store.has(layer.digest)) return;
  const size = await stat(file).then((s) => s.size, () => undefined);
  if (size === undefined) throw new MultiarchError('E_DIRECT_BASE', `base image ${ref}: layer ${layer.digest} is missing from the layout`, { hint: 'the layout is incomplete: apply the base image again' });
  if (size !== layer.size) throw new MultiarchError('E_DIGEST_MISMATCH', `base image ${ref}: layer ${layer.digest} is ${size} bytes in the layout, its manifest says ${layer.size}`);
  const temp = await store.tempPath();
  try {
    await link(file, temp).catch(() => copyFile(file, temp));
    await store.commit(temp, layer.digest);
  } finally {
    await rm(temp, { force: true }).catch(() => undefined);
  }
}
