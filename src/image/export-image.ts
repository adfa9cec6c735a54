/**
 * Gets a built image out of the engine as registry-ready content: the engine's `docker save`
 * stream through tar extraction into the blob store (layers gzip'd, config as is), checked against
 * the config's diff ids. A layer a registry already holds compressed (its base's: held-layers.ts)
 * is only hashed, and the image names that blob and where it is (`from`). Remembered by image id,
 * so the second push of the same image exports nothing. The engine adapter
 * (docker/docker-engine.ts) starts the save; nothing else runs one. Edge.
 */
import { loadTar } from './load-tar.js';
import type { Platform } from '../config/platform.js';
import { MultiarchError } from '../errors/multiarch-error.js';
import type { StreamingRun } from '../sys/run.js';
import type { BlobStore } from './blob-store.js';
import { sha256Digest } from './descriptor.js';
import type { StoredBlob } from './gzip-blob.js';
import type { HeldLayer } from './held-layers.js';
import { isHeld, storeLayer, type HeldBlob } from './layer-entry.js';
import type { ImageContent } from './manifest.js';

export interface ExportedImage extends ImageContent {
  readonly imageId: string;
  readonly platform: Platform;
  readonly layers: readonly ExportedLayer[];
}

export interface ExportedLayer {
  readonly digest: string;
  readonly size: number;
  readonly diffId: string;
  /** The layer's uncompressed size, when known (an archive for a scanner streams it unpacked). */
  readonly tarSize?: number;
  /** Not in the blob store: the registry repository that holds the blob (a base's layer). */
  readonly from?: { readonly host: string; readonly repository: string };
}

interface SavedManifestEntry {
  readonly Config: string;
  readonly Layers: readonly string[];
}

interface ImageConfigJson {
  readonly os?: string;
  readonly architecture?: string;
  readonly variant?: string;
  readonly rootfs?: { readonly diff_ids?: readonly string[] };
}

const RECORD = 'exported-images';

/** Starts the engine's `docker save` of the image: a docker-archive tar on stdout. */
export type SaveImage = (signal: AbortSignal) => Promise<StreamingRun>;

/** `held`: layers a registry holds compressed, sent as those blobs when the image has them. */
export async function exportImage(save: SaveImage, imageId: string, store: BlobStore, signal?: AbortSignal, held: readonly HeldLayer[] = []): Promise<ExportedImage> {
  const key = imageId.replace(/^sha256:/, '');
  const known = await store.readRecord<ExportedImage>(RECORD, key);
  if (known && (await allPresent(store, known))) return known;

  // Aborted by the caller, or by us when extraction fails (else `docker save` blocks on a full pipe).
  const stop = new AbortController();
  // The extractor exists before `docker save` starts and is piped to at once: no await may come in
  // between, or the archive's first bytes can be gone before anyone reads them (a corrupt tar).
  const extract = (await loadTar()).extract();
  const saving = await save(signal ? AbortSignal.any([signal, stop.signal]) : stop.signal);
  saving.stdout.pipe(extract);
  const small = new Map<string, Buffer>();
  const blobs = new Map<string, StoredBlob | HeldBlob>();
  const heldByDiffId = new Map(held.map((layer) => [layer.diffId, layer]));
  const extracted = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const done = (error?: unknown) => (error ? reject(error) : next());
      if (header.type !== 'file') {
        stream.on('end', () => done());
        stream.resume();
        return;
      }
      if (/(^|\/)(manifest\.json|index\.json|repositories|oci-layout|VERSION|json)$|\.json$/.test(header.name)) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: unknown) => chunks.push(c as Buffer));
        stream.on('end', () => {
          small.set(header.name, Buffer.concat(chunks));
          done();
        });
        stream.on('error', done);
        return;
      }
      storeLayer(header.name, stream as unknown as NodeJS.ReadableStream, store, heldByDiffId).then((blob) => {
        blobs.set(header.name, blob);
        done();
      }, done);
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  const extractError = extracted.then(
    () => undefined,
    (error: unknown) => {
      stop.abort();
      return error;
    },
  );
  const [result, failure] = await Promise.all([saving.done, extractError]);
  if (signal?.aborted) throw new MultiarchError('E_CANCELED', 'export canceled');
  if (failure) {
    throw new MultiarchError('E_EXPORT_FAILED', `reading docker save ${imageId} failed: ${(failure as Error).message ?? failure}`);
  }
  if (result.exitCode !== 0) {
    throw new MultiarchError('E_EXPORT_FAILED', `docker save ${imageId} failed`, { details: result.stderr.split('\n').slice(-10) });
  }

  const manifest = JSON.parse(small.get('manifest.json')?.toString('utf8') ?? '[]') as SavedManifestEntry[];
  const entry = manifest[0];
  if (!entry) throw new MultiarchError('E_EXPORT_FAILED', `docker save ${imageId} produced no manifest.json`);
  const configBlob = blobs.get(entry.Config);
  const configBytes = small.get(entry.Config) ?? (configBlob && !isHeld(configBlob) ? configBlob.small : undefined);
  if (!configBytes) throw new MultiarchError('E_EXPORT_FAILED', `docker save ${imageId}: config ${entry.Config} missing`);
  const configDigest = sha256Digest(configBytes);
  if (configDigest !== imageId) {
    throw new MultiarchError('E_EXPORT_FAILED', `docker save ${imageId} returned config ${configDigest}`, {
      hint: 'the image changed while it was exported; run apply again',
    });
  }
  await store.put(configDigest, configBytes);
  const config = JSON.parse(configBytes.toString('utf8')) as ImageConfigJson;
  const diffIds = config.rootfs?.diff_ids ?? [];
  const layers = entry.Layers.map((name, i) => {
    const blob = blobs.get(name);
    if (blob && isHeld(blob)) {
      if (blob.rawDigest !== diffIds[i]) throw new MultiarchError('E_EXPORT_FAILED', `layer ${i + 1} of ${imageId} does not match the image config (${name})`);
      const { digest, size, host, repository } = blob.held;
      return { digest, size, diffId: blob.rawDigest, tarSize: blob.rawSize, from: { host, repository } };
    }
    const diffId = blob?.wasCompressed ? diffIds[i] : blob?.rawDigest;
    if (!blob || !diffId || diffId !== diffIds[i]) {
      throw new MultiarchError('E_EXPORT_FAILED', `layer ${i + 1} of ${imageId} does not match the image config (${name})`);
    }
    return { digest: blob.digest, size: blob.size, diffId, ...(blob.wasCompressed ? {} : { tarSize: blob.rawSize }) };
  });
  const exported: ExportedImage = {
    imageId,
    platform: { os: config.os ?? 'linux', architecture: config.architecture ?? '', ...(config.variant ? { variant: config.variant } : {}) },
    config: { digest: configDigest, size: configBytes.length },
    layers,
  };
  await store.writeRecord(RECORD, key, exported);
  return exported;
}

/** Every blob the image keeps in the store is there (a layer held by a registry is not kept here). */
async function allPresent(store: BlobStore, image: ExportedImage): Promise<boolean> {
  for (const d of [image.config.digest, ...image.layers.filter((l) => !l.from).map((l) => l.digest)]) {
    if (!(await store.has(d))) return false;
  }
  return true;
}
