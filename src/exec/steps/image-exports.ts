/**
 * The run's one way to get a built image's content: the engine's export into the blob store, made
 * once per image and shared by the pushes (the manifest and blobs they send); and the archive
 * scans and SBOMs read. An archive is written from the blob store when the image is there
 * (assembled without an engine, or already exported: an SBOM after its push); a scan, which runs
 * before any push, has the engine write it directly — gzip'ing the layers first would put the
 * push's compression on the scan's critical path, where scans run one at a time
 * (bench/scan-archive.ts). An assembled image is added here by its build, so nothing downstream
 * tells the two apart.
 */
import type { BlobStore } from '../../image/blob-store.js';
import { writeDockerArchive } from '../../image/docker-archive.js';
import type { ExportedImage } from '../../image/export-image.js';
import type { Engines } from '../ports/engine.js';
import type { BuiltImage } from './step-outputs.js';

export interface ImageExports {
  /** The image's content in the blob store, exported from its builder's engine the first time. */
  get(built: BuiltImage, signal: AbortSignal): Promise<ExportedImage>;
  /** An image already in the blob store (assembled without an engine). */
  add(image: ExportedImage): void;
  /** Writes the image as a `docker save`-format archive: what scanners read. */
  writeArchive(built: BuiltImage, signal: AbortSignal): (file: string) => Promise<void>;
}

export function createImageExports(engines: Engines, store: BlobStore): ImageExports {
  const exports = new Map<string, Promise<ExportedImage>>();
  const get = (built: BuiltImage, signal: AbortSignal): Promise<ExportedImage> => {
    const { imageId } = built;
    let pending = exports.get(imageId);
    if (!pending) {
      // The image is on the engine that built it.
      pending = engines.get(built.builder).exportImage(imageId, signal);
      // A failed or canceled export may be tried again by another step.
      pending.catch(() => exports.delete(imageId));
      exports.set(imageId, pending);
    }
    return pending;
  };
  return {
    get,
    add: (image) => void exports.set(image.imageId, Promise.resolve(image)),
    writeArchive: (built, signal) => async (file) => {
      const held = exports.get(built.imageId);
      if (held) await writeDockerArchive(await held, store, file);
      else await engines.get(built.builder).saveArchive(built.imageId, file, signal);
    },
  };
}
