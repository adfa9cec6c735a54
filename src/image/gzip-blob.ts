/**
 * Streams one tar entry of `docker save` into the blob store as a gzip layer, hashing on the way:
 * the uncompressed digest (the layer's diff id) and the compressed digest (what registries
 * address it by). An entry that is already gzip is stored as it is. Node's gzip output is
 * deterministic for the same input, so an unchanged layer gets the same digest on every export.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import type { BlobStore } from './blob-store.js';
import { digestStream } from './digest-stream.js';

export interface StoredBlob {
  /** Digest of the bytes as they came (the diff id when they were an uncompressed tar). */
  readonly rawDigest: string;
  readonly rawSize: number;
  readonly wasCompressed: boolean;
  /** Digest and size of the stored (gzip) blob. */
  readonly digest: string;
  readonly size: number;
  /** The raw bytes, kept only for small entries (image configs in OCI-style archives). */
  readonly small?: Buffer;
}

const KEEP_SMALL = 1024 * 1024;

export async function storeAsGzipBlob(source: AsyncIterable<Buffer> | NodeJS.ReadableStream, store: BlobStore): Promise<StoredBlob> {
  const raw = createHash('sha256');
  let rawSize = 0;
  const smallChunks: Buffer[] = [];
  let compressed: boolean | undefined;
  let gzip: zlib.Gzip | undefined;
  // Bytes held back until there are two to compare with gzip's magic (chunks may be 1 byte long).
  let head: Buffer | undefined;

  const compressor = new Transform({
    transform(chunk: Buffer, _enc, callback: TransformCallback) {
      raw.update(chunk);
      rawSize += chunk.length;
      if (rawSize <= KEEP_SMALL) smallChunks.push(chunk);
      if (compressed === undefined) {
        chunk = head ? Buffer.concat([head, chunk]) : chunk;
        head = undefined;
        if (chunk.length < 2) {
          head = chunk;
          return callback();
        }
        compressed = chunk[0] === 0x1f && chunk[1] === 0x8b;
        if (!compressed) {
          gzip = zlib.createGzip();
          gzip.on('data', (d: Buffer) => this.push(d));
        }
      }
      if (!gzip) return callback(null, chunk);
      gzip.write(chunk, () => callback());
    },
    flush(callback: TransformCallback) {
      if (head) {
        // A single byte in all: not gzip.
        compressed = false;
        gzip = zlib.createGzip();
        gzip.on('data', (d: Buffer) => this.push(d));
        gzip.write(head);
        head = undefined;
      }
      if (!gzip) return callback();
      gzip.once('end', () => callback());
      gzip.once('error', callback);
      gzip.end();
    },
  });
  const counted = digestStream();
  const temp = await store.tempPath();
  await pipeline(source, compressor, counted.stream, createWriteStream(temp));
  const digest = counted.digest();
  await store.commit(temp, digest);
  return {
    rawDigest: `sha256:${raw.digest('hex')}`,
    rawSize,
    wasCompressed: compressed === true,
    digest,
    size: counted.size(),
    ...(rawSize <= KEEP_SMALL ? { small: Buffer.concat(smallChunks) } : {}),
  };
}
