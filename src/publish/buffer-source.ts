/** A small blob held in memory (a signature, an attestation, a predicate) as a store's blob source. */
import { sha256Digest } from '../image/descriptor.js';
import type { BlobSource } from './content-store.js';

export function bufferSource(bytes: Buffer): BlobSource {
  return {
    digest: sha256Digest(bytes),
    size: bytes.length,
    open: async function* (start: number, end: number) {
      yield bytes.subarray(start, end);
    },
  };
}
