/**
 * The layers an engine-built image shares with the base it was built on, as the base's registry
 * holds them compressed: its export sends those blobs (mounted within that registry, read from it
 * for any other target) instead of gzip'ing the layers again — as `docker push` and BuildKit do.
 * Gzip is most of an export's CPU, and a base's layers are usually most of an image. Only a base
 * whose layers are the image's first ones counts: the engine unpacked exactly those blobs into the
 * image's first diff ids, so the blob is known to hold the layer. Pure.
 */
import { MEDIA } from './media-types.js';

/** A base image as its registry describes it: where it is, its config's diff ids and its manifest's layers. */
export interface BaseLayers {
  readonly host: string;
  readonly repository: string;
  /** Bottom first. */
  readonly diffIds: readonly string[];
  /** The manifest's layers, in the same order. */
  readonly layers: ReadonlyArray<{ readonly digest: string; readonly size: number; readonly mediaType: string }>;
}

/** One layer of the image held compressed by a registry: sent as that blob. */
export interface HeldLayer {
  readonly diffId: string;
  readonly digest: string;
  readonly size: number;
  readonly host: string;
  readonly repository: string;
}

/** Gzip only: a zstd or non-distributable layer is exported as any other (gzip'd here). */
const GZIP_LAYERS: ReadonlySet<string> = new Set([MEDIA.docker.layerGzip, MEDIA.oci.layerGzip]);

/** The held layers of the longest base whose diff ids are the first of `diffIds` (none when none is). */
export function heldLayers(bases: readonly BaseLayers[], diffIds: readonly string[]): HeldLayer[] {
  let best: BaseLayers | undefined;
  for (const base of bases) {
    const n = base.diffIds.length;
    if (n === 0 || n !== base.layers.length || n > diffIds.length || (best && best.diffIds.length >= n)) continue;
    if (base.diffIds.every((d, i) => d === diffIds[i])) best = base;
  }
  if (!best) return [];
  const { host, repository } = best;
  return best.layers.flatMap((layer, i) =>
    GZIP_LAYERS.has(layer.mediaType) && Number.isSafeInteger(layer.size) && layer.size > 0 ? [{ diffId: best.diffIds[i]!, digest: layer.digest, size: layer.size, host, repository }] : [],
  );
}
