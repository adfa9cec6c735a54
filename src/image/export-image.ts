/**
 * Gets a built image out of the engine as registry-ready content: the engine's `docker save`
 * stream through tar extraction into the blob store (layers gzip'd, config as is), checked against
 * the config's diff ids. Remembered by image id, so the second push of the same image exports
 * nothing. The engine adapter (docker/docker-engine.ts) starts the save; nothing else runs one. Edge.
 */
import { loadTar } from './load-tar.js';
import type { Platform } from '../config/platform.js';
import { MultiarchError } from '../errors/multiarch-error.js';
import type { StreamingRun } from '../sys/run.js';
import type { BlobStore } from './blob-store.js';
import { sha256Digest } from './descriptor.js';
import { storeAsGzipBlob, type StoredBlob } from './gzip-blob.js';
import type { ImageContent } from './manifest.js';

export interface ExportedImage extends ImageContent {
  readonly imageId: string;
  readonly platform: Platform;
  /** `tarSize`: the layer's uncompressed size, when known (an archive for a scanner streams it unpacked). */
  readonly layers: ReadonlyArray<{ readonly digest: string; readonly size: number; readonly diffId: string; readonly tarSize?: number }>;
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

export async function exportImage(save: SaveImage, imageId: string, store: BlobStore, signal?: AbortSignal): Promise<ExportedImage> {
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
  const blobs = new Map<string, StoredBlob>();
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
      storeAsGzipBlob(stream as unknown as AsyncIterable<Buffer>, store).then((blob) => {
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
  const configBytes = small.get(entry.Config) ?? blobs.get(entry.Config)?.small;
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

async function allPresent(store: BlobStore, image: ExportedImage): Promise<boolean> {
  for (const d of [image.config.digest, ...image.layers.map((l) => l.digest)]) {
    if (!(await store.has(d))) return false;
  }
  return true;
}
