/**
 * The run's one way to get a built image's content: the engine's export into the blob store, made
 * once per image and shared by the pushes (the manifest and blobs they send); and the archive
 * scans and SBOMs read. An archive is written from the blob store when the image is there
 * (assembled without an engine, or already exported: an SBOM after its push); a scan, which runs
 * before any push, has the engine write it directly — gzip'ing the layers first would put the
 * push's compression on the scan's critical path, where scans run one at a time
 * (bench/scan-archive.ts). An assembled image is added here by its build, so nothing downstream
 * tells the two apart.
 *
 * The layers an image shares with its base are not gzip'd again: the base's blobs are sent
 * (image/held-layers.ts). The bases are those its build names (its recorded inputs' bases, and the
 * `ref()` bases this run pushed), read from their registries once per run — from the moment its
 * build starts (`readBases`), so the reads overlap the build — and a base that cannot be read only
 * means its layers are gzip'd here as any other.
 */
import { readBaseImage } from '../../direct/base-image.js';
import { SharedWork } from '../../direct/shared-work.js';
import { parsePlatform } from '../../config/platform.js';
import type { BlobStore } from '../../image/blob-store.js';
import { writeDockerArchive } from '../../image/docker-archive.js';
import type { ExportedImage } from '../../image/export-image.js';
import { heldLayers, type BaseLayers } from '../../image/held-layers.js';
import type { RegistryAccess } from '../../state/registry-access.js';
import type { Engines } from '../ports/engine.js';
import type { BuiltImage, ImageBase } from './step-outputs.js';

export interface ImageExports {
  /**
   * The image's content in the blob store, exported from its builder's engine the first time;
   * `baseLayers`: the layers it shares with its base may be left in the base's registry (the first
   * push goes to a registry, which mounts or copies them).
   */
  get(built: BuiltImage, signal: AbortSignal, options?: { readonly baseLayers?: boolean }): Promise<ExportedImage>;
  /** Starts reading the bases of a build as it starts (its export will match its layers against them). */
  readBases(bases: readonly ImageBase[], signal: AbortSignal): void;
  /** An image already in the blob store (assembled without an engine). */
  add(image: ExportedImage): void;
  /** Writes the image as a `docker save`-format archive: what scanners read. */
  writeArchive(built: BuiltImage, signal: AbortSignal): (file: string) => Promise<void>;
}

/** `access`: the registries bases are read from; without it every layer is gzip'd here. */
export function createImageExports(engines: Engines, store: BlobStore, access?: RegistryAccess): ImageExports {
  const exports = new Map<string, Promise<ExportedImage>>();
  const bases = access ? baseReader(access) : undefined;
  const get = (built: BuiltImage, signal: AbortSignal, options: { readonly baseLayers?: boolean } = {}): Promise<ExportedImage> => {
    const { imageId } = built;
    let pending = exports.get(imageId);
    if (!pending) {
      pending = (async () => {
        const read = options.baseLayers && built.diffIds && built.bases && bases ? await bases(built.bases, signal) : [];
        // The image is on the engine that built it.
        return engines.get(built.builder).exportImage(imageId, signal, heldLayers(read, built.diffIds ?? []));
      })();
      // A failed or canceled export may be tried again by another step.
      pending.catch(() => exports.delete(imageId));
      exports.set(imageId, pending);
    }
    return pending;
  };
  return {
    get,
    readBases: (recorded, signal) => void bases?.(recorded, signal),
    add: (image) => void exports.set(image.imageId, Promise.resolve(image)),
    writeArchive: (built, signal) => async (file) => {
      const held = await exports.get(built.imageId);
      // A layer its base's registry holds is not in the store: the engine still has the image.
      if (held && held.layers.every((l) => !l.from)) await writeDockerArchive(held, store, file);
      else await engines.get(built.builder).saveArchive(built.imageId, file, signal);
    },
  };
}

/**
 * Past this, a base's registry is given up on and its layers are gzip'd here: a push is never held
 * up by a registry it does not write to (an unreachable one's requests would otherwise be retried).
 */
const BASE_READ_LIMIT_MS = 10_000;

/** Each recorded base read once per run; one that cannot be read (gone, no access, too slow, canceled) is left out. */
function baseReader(access: RegistryAccess): (bases: readonly ImageBase[], signal: AbortSignal) => Promise<BaseLayers[]> {
  const reads = new Map<string, Promise<BaseLayers | undefined>>();
  const read = (ref: string, platform: string, digest: string, signal: AbortSignal): Promise<BaseLayers | undefined> => {
    const key = `${ref}\0${digest}`;
    let pending = reads.get(key);
    if (!pending) {
      const parsed = parsePlatform(platform);
      pending = parsed.ok
        ? readBaseImage(access, ref, parsed.platform, new SharedWork(), { signal: AbortSignal.any([signal, AbortSignal.timeout(BASE_READ_LIMIT_MS)]), planned: digest }).then(
            (base) => ({ host: base.host, repository: base.repository, diffIds: base.config.rootfs?.diff_ids ?? [], layers: base.layers }),
            () => {
              // A canceled read is tried again by the next one who asks.
              if (signal.aborted) reads.delete(key);
              return undefined;
            },
          )
        : Promise.resolve(undefined);
      reads.set(key, pending);
    }
    return pending;
  };
  return async (bases, signal) => {
    const found = await Promise.all(bases.map((b) => read(b.ref, b.platform, b.digest, signal)));
    return found.filter((b): b is BaseLayers => b !== undefined);
  };
}
