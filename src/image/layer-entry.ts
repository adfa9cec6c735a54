/**
 * One layer of an engine's export on its way into the blob store: gzip'd (gzip-blob.ts), or — when
 * a registry already holds it compressed (held-layers.ts: a base's layer) — only hashed, which
 * checks it is that layer, and not stored: the push sends the registry's blob. An archive that
 * names its layers by content (OCI: `blobs/sha256/<diff id>`) tells which at once; a legacy one
 * (`<v1 id>/layer.tar`) does not, so there the bytes wait raw until their digest tells — in memory
 * up to SPILL_AT, in a temp file beyond (a 2 MB layer through a file cost ≈30 ms, in memory ≈5). Edge.
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import type { BlobStore } from './blob-store.js';
import { digestStream } from './digest-stream.js';
import { storeAsGzipBlob, type StoredBlob } from './gzip-blob.js';
import type { HeldLayer } from './held-layers.js';

/** A layer a registry holds: its bytes were read and hashed, not stored. */
export interface HeldBlob {
  readonly held: HeldLayer;
  /** The digest of the bytes read: its diff id, if it is the layer it claims to be. */
  readonly rawDigest: string;
  readonly rawSize: number;
}

/** Raw bytes a legacy archive's layer may keep in memory while its digest is not known yet. */
const SPILL_AT = 32 * 1024 * 1024;

/** `held`: by diff id; `spillAt`: SPILL_AT unless said. */
export async function storeLayer(name: string, source: NodeJS.ReadableStream, store: BlobStore, held: ReadonlyMap<string, HeldLayer>, spillAt = SPILL_AT): Promise<StoredBlob | HeldBlob> {
  if (held.size === 0) return storeAsGzipBlob(source, store);
  const named = /(?:^|\/)blobs\/sha256\/([0-9a-f]{64})$/.exec(name);
  if (named) {
    const layer = held.get(`sha256:${named[1]}`);
    if (!layer) return storeAsGzipBlob(source, store);
    const raw = await hashInto(source, new Writable({ write: (_chunk, _enc, callback) => callback() }));
    return { held: layer, rawDigest: raw.digest, rawSize: raw.size };
  }
  const kept = keepRaw(store, spillAt);
  try {
    const raw = await hashInto(source, kept.sink);
    const layer = held.get(raw.digest);
    if (layer) return { held: layer, rawDigest: raw.digest, rawSize: raw.size };
    return await storeAsGzipBlob(kept.replay(), store);
  } finally {
    await kept.drop();
  }
}

export function isHeld(blob: StoredBlob | HeldBlob): blob is HeldBlob {
  return 'held' in blob;
}

async function hashInto(source: NodeJS.ReadableStream, sink: NodeJS.WritableStream): Promise<{ digest: string; size: number }> {
  const counted = digestStream();
  await pipeline(source, counted.stream, sink);
  return { digest: counted.digest(), size: counted.size() };
}

/** A sink that keeps what it is written, to be read again: in memory, or past `spillAt` bytes in a temp file. */
function keepRaw(store: BlobStore, spillAt: number): { sink: Writable; replay(): NodeJS.ReadableStream; drop(): Promise<void> } {
  let chunks: Buffer[] = [];
  let kept = 0;
  let temp: string | undefined;
  let file: WriteStream | undefined;
  const toFile = (chunk: Buffer, callback: (error?: Error | null) => void) => {
    if (file!.write(chunk)) callback();
    else file!.once('drain', () => callback());
  };
  const sink = new Writable({
    write(chunk: Buffer, _enc, callback) {
      if (file) return toFile(chunk, callback);
      chunks.push(chunk);
      kept += chunk.length;
      if (kept <= spillAt) return callback();
      store.tempPath().then((path) => {
        temp = path;
        file = createWriteStream(path);
        file.on('error', (error) => sink.destroy(error));
        const spilled = Buffer.concat(chunks);
        chunks = [];
        toFile(spilled, callback);
      }, callback);
    },
    final(callback) {
      if (!file) return callback();
      file.end();
      finished(file).then(() => callback(), callback);
    },
  });
  return {
    sink,
    replay: () => (temp ? createReadStream(temp) : Readable.from(chunks)),
    drop: async () => {
      chunks = [];
      if (temp) await rm(temp, { force: true });
    },
  };
}
