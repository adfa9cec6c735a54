/**
 * A pass-through stream that takes the sha256 digest and the length of what flows through it: a
 * blob's digest and size while it goes somewhere (the blob store, a layout, nowhere). Edge (a stream).
 */
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';

export interface DigestStream {
  readonly stream: Transform;
  /** `sha256:<hex>` of all that passed: asked once it has all passed. */
  digest(): string;
  size(): number;
}

export function digestStream(): DigestStream {
  const hash = createHash('sha256');
  let size = 0;
  let digest: string | undefined;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  return { stream, digest: () => (digest ??= `sha256:${hash.digest('hex')}`), size: () => size };
}
