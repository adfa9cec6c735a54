/**
 * `ref('base')`: a build arg whose value is, per platform, the digest of another image of the same
 * config as published for that platform. A plain branded object rather than a class: the user's
 * config may load a second copy of multiarch (jiti, Deno `npm:`), so `instanceof` cannot be trusted.
 */
export const REF_BRAND = 'multiarch.ref' as const;

export interface ImageRef {
  readonly $multiarch: typeof REF_BRAND;
  readonly image: string;
  /** Which publish target's copy to build on; the image's first target when omitted. */
  readonly registry?: string;
}

export interface RefOptions {
  registry?: string;
}

export function ref(image: string, options: RefOptions = {}): ImageRef {
  return { $multiarch: REF_BRAND, image, ...(options.registry ? { registry: options.registry } : {}) };
}

export function isImageRef(value: unknown): value is ImageRef {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { $multiarch?: unknown }).$multiarch === REF_BRAND &&
    typeof (value as { image?: unknown }).image === 'string'
  );
}
