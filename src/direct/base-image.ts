/**
 * The base of a stage for one platform, read from its registry as a pull would: the tag (or
 * digest) resolved, an index's child picked for the platform, the config read, and the layers
 * fetched into the blob store (kept by digest, so the next run fetches nothing). `ref()`'d bases
 * arrive here as `repository@digest`; a base the plan resolved is fetched by that digest. Edge.
 */
import { formatPlatform, type Platform } from '../config/platform.js';
import { MultiarchError } from '../errors/multiarch-error.js';
import type { BlobStore } from '../image/blob-store.js';
import { isIndexMediaType } from '../image/media-types.js';
import { parsePullReference as parseImageReference } from '../image/image-reference.js';
import type { RegistryAccess } from '../state/registry-access.js';
import { canonicalPlatform } from '../state/registry-access.js';
import { listFetchedLayer } from './base-tree.js';
import type { ImageConfig } from './image-config.js';
import type { SharedWork } from './shared-work.js';

export interface BaseImage {
  readonly ref: string;
  /** The platform manifest's digest: what the build is based on (history, inputs). */
  readonly digest: string;
  readonly config: ImageConfig;
  readonly layers: ReadonlyArray<{ readonly digest: string; readonly size: number; readonly mediaType: string }>;
}

/** A base read from a registry, and where: its host and repository. */
export interface RegistryBaseImage extends BaseImage {
  readonly host: string;
  readonly repository: string;
}

export interface ManifestJson {
  readonly mediaType?: string;
  readonly manifests?: ReadonlyArray<{ digest: string; platform?: { os?: string; architecture?: string; variant?: string } }>;
  readonly config?: { digest: string };
  readonly layers?: ReadonlyArray<{ digest: string; size: number; mediaType: string }>;
}

export interface BaseFetchOptions {
  readonly signal?: AbortSignal;
  /** The platform image's digest the plan resolved `ref` to; the tag is read only if it is gone. */
  readonly planned?: string;
  /** The stage will read its filesystem: list each layer fetched now from its bytes, meanwhile. */
  readonly listLayers?: boolean;
}

export async function fetchBaseImage(access: RegistryAccess, ref: string, platform: Platform, store: BlobStore, shared: SharedWork, options: BaseFetchOptions = {}): Promise<RegistryBaseImage> {
  const { signal } = options;
  const found = await findBaseManifest(access, ref, platform, shared, options);
  const { client, repository, layers } = found;
  checkBaseLayers(ref, layers);
  // The config and every missing layer at once; a blob another assembly fetches is fetched once.
  const fetched = layers.map((layer) =>
    shared.once(`blob-stored\0${layer.digest}`, async () => {
      if (await store.has(layer.digest)) return;
      const bytes = await access.limit(() => client.getBlob(repository, layer.digest, signal));
      if (options.listLayers) listFetchedLayer(shared, layer.digest, bytes);
      await store.put(layer.digest, bytes);
    }),
  );
  const [config] = await Promise.all([readBaseConfig(access, found, shared, signal), ...fetched]);
  return { ref, digest: found.digest, config, layers, host: found.host, repository };
}

/**
 * The base's platform manifest and config, its layers left where they are: what an engine-built
 * image's export matches its own layers against (image/held-layers.ts).
 */
export async function readBaseImage(access: RegistryAccess, ref: string, platform: Platform, shared: SharedWork, options: Pick<BaseFetchOptions, 'signal' | 'planned'> = {}): Promise<RegistryBaseImage> {
  const found = await findBaseManifest(access, ref, platform, shared, options);
  const config = await readBaseConfig(access, found, shared, options.signal);
  return { ref, digest: found.digest, config, layers: found.layers, host: found.host, repository: found.repository };
}

interface FoundManifest {
  readonly client: ReturnType<RegistryAccess['client']>;
  readonly host: string;
  readonly repository: string;
  readonly digest: string;
  readonly config: string;
  readonly layers: BaseImage['layers'];
}

/** The tag (or the planned digest) resolved, an index's child picked for the platform. */
async function findBaseManifest(access: RegistryAccess, ref: string, platform: Platform, shared: SharedWork, options: Pick<BaseFetchOptions, 'signal' | 'planned'>): Promise<FoundManifest> {
  const { signal, planned } = options;
  const parsed = parseImageReference(ref);
  if (!parsed.ok) throw new MultiarchError('E_DIRECT_BASE', `base image ${JSON.stringify(ref)}: ${parsed.message}`, { hint: 'check the FROM line and the build args it uses' });
  const { host, repository, tag, digest } = parsed.reference;
  const client = access.client(host);
  const reference = digest ?? tag!;
  const wanted = formatPlatform(platform);
  // A tag is resolved once for all the run's platforms and images (one round trip, one answer).
  const manifest = (ref: string) => shared.once(`manifest\0${host}/${repository}@${ref}`, () => access.limit(() => client.getManifest(repository, ref, signal)));
  let got = (planned ? await manifest(planned) : undefined) ?? (await manifest(reference));
  if (!got) throw new MultiarchError('E_DIRECT_BASE', `base image ${ref} is not in ${host}`, { hint: 'push it first, or build this image with build: { engine: "docker" } if only the local engine has it' });
  let doc = JSON.parse(got.bytes.toString('utf8')) as ManifestJson;
  if (isIndexMediaType(got.mediaType) || doc.manifests) {
    const child = doc.manifests?.find((m) => canonicalPlatform(m.platform) === wanted);
    if (!child) throw new MultiarchError('E_DIRECT_BASE', `base image ${ref} has no ${wanted} image`, { hint: 'pick a base that is published for every platform of the image' });
    got = await manifest(child.digest);
    if (!got) throw new MultiarchError('E_DIRECT_BASE', `base image ${ref}: its ${wanted} manifest ${child.digest} is missing`);
    doc = JSON.parse(got.bytes.toString('utf8')) as ManifestJson;
  }
  if (!doc.config) throw new MultiarchError('E_DIRECT_BASE', `base image ${ref} is not an image manifest`);
  return { client, host, repository, digest: got.digest, config: doc.config.digest, layers: doc.layers ?? [] };
}

/** A config another assembly or export reads is read once. */
async function readBaseConfig(access: RegistryAccess, found: FoundManifest, shared: SharedWork, signal?: AbortSignal): Promise<ImageConfig> {
  const bytes = await shared.once(`blob\0${found.config}`, () => access.limit(() => found.client.getBlob(found.repository, found.config, signal)));
  return JSON.parse(bytes.toString('utf8')) as ImageConfig;
}

/** Direct assembly reads and extends gzip (or plain tar) layers only, wherever the base comes from. */
export function checkBaseLayers(ref: string, layers: ReadonlyArray<{ readonly mediaType: string }>): void {
  for (const layer of layers) {
    if (!/gzip|tar$/.test(layer.mediaType) || /zstd/.test(layer.mediaType)) {
      throw new MultiarchError('E_DIRECT_BASE', `base image ${ref} has a ${layer.mediaType} layer; direct assembly handles gzip layers`, { hint: 'use build: { engine: "docker" } for this image' });
    }
  }
}
