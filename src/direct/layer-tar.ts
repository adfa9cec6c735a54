/**
 * Writes one layer deterministically: entries in path order, every timestamp the build's epoch,
 * no user or group names, no PAX extras beyond what long names need; then gzip with a fixed header
 * (mtime 0, OS "Unix" whatever zlib was built for), so the same entries give the same diff id and
 * blob digest on any machine. Stored in the blob store like an engine export's layers. Edge.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import zlib from 'node:zlib';
import type { BlobStore } from '../image/blob-store.js';
import { compare, type FileContent, type FsEntry } from './fs-tree.js';
import { END_OF_ARCHIVE, padding, tarHeaderBlocks } from './tar-headers.js';

export interface WrittenLayer {
  readonly digest: string;
  readonly size: number;
  readonly diffId: string;
}

/** Reads a file's bytes wherever they are (context file, base layer, memory). */
export type ContentReader = (content: FileContent) => Promise<Buffer>;

/** Files read ahead of the one being written: their reads overlap the compression. */
const READ_AHEAD = 8;
/** Tar bytes handed to gzip and not compressed yet, at most. */
const UNCOMPRESSED_BUFFER = 4 << 20;

export async function writeLayer(entries: readonly FsEntry[], epoch: number, read: ContentReader, store: BlobStore): Promise<WrittenLayer> {
  // The tar goes through gzip as it is made (compression runs off the main thread meanwhile):
  // without flushes, deflate's output does not depend on how its input is cut up.
  const gzip = zlib.createGzip({ level: 6, chunkSize: 1 << 16 });
  const compressed: Buffer[] = [];
  gzip.on('data', (c: Buffer) => compressed.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    gzip.on('end', resolve);
    gzip.on('error', reject);
  });
  // Awaited at the end or while waiting for room; an error before then is not left unhandled.
  ended.catch(() => undefined);
  const diff = createHash('sha256');
  const write = async (chunk: Buffer) => {
    diff.update(chunk);
    gzip.write(chunk);
    // Up to a few MiB wait for compression (it keeps its thread busy), then the writer waits for it.
    if (gzip.writableLength > UNCOMPRESSED_BUFFER) await Promise.race([new Promise<void>((resolve) => gzip.once('drain', resolve)), ended]);
  };
  try {
    await eachTarChunk(entries, epoch, read, write);
  } catch (error) {
    // A file that cannot be read: the half-written stream is dropped (its zlib state freed now).
    gzip.destroy();
    throw error;
  }
  gzip.end();
  await ended;
  const gz = Buffer.concat(compressed);
  // Byte 9 is the OS that wrote the stream: fixed, so the digest does not depend on the machine.
  gz[9] = 3;
  const digest = `sha256:${createHash('sha256').update(gz).digest('hex')}`;
  await store.put(digest, gz);
  return { digest, size: gz.length, diffId: `sha256:${diff.digest('hex')}` };
}

/** The uncompressed layer: the bytes its diff id is the digest of. */
export async function createTar(entries: readonly FsEntry[], epoch: number, read: ContentReader): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await eachTarChunk(entries, epoch, read, async (c) => void chunks.push(c));
  return Buffer.concat(chunks);
}

/** The tar's bytes in order: entries sorted by path, every mtime the epoch, no user or group names. */
async function eachTarChunk(entries: readonly FsEntry[], epoch: number, read: ContentReader, write: (chunk: Buffer) => Promise<void>): Promise<void> {
  const sorted = [...entries].sort((a, b) => compare(a.path, b.path));
  const reads = new Map<number, Promise<Buffer>>();
  let ahead = 0;
  const readAhead = (from: number) => {
    for (ahead = Math.max(ahead, from); ahead < sorted.length && ahead < from + READ_AHEAD; ahead++) {
      const e = sorted[ahead]!;
      if (e.type !== 'file') continue;
      const bytes = e.content ? read(e.content) : Promise.resolve(Buffer.alloc(0));
      // Awaited in order below; a failure ahead must not go unhandled meanwhile.
      bytes.catch(() => undefined);
      reads.set(ahead, bytes);
    }
  };
  for (const [i, e] of sorted.entries()) {
    readAhead(i);
    const name = e.path.slice(1) + (e.type === 'dir' ? '/' : '');
    const header = { name, mode: e.mode, uid: e.uid, gid: e.gid, mtime: epoch };
    if (e.type === 'dir') await writeAll(write, tarHeaderBlocks({ ...header, type: 'directory' }));
    else if (e.type === 'symlink') await writeAll(write, tarHeaderBlocks({ ...header, type: 'symlink', linkname: e.link! }));
    else if (e.type === 'hardlink') await writeAll(write, tarHeaderBlocks({ ...header, type: 'link', linkname: e.link!.slice(1) }));
    else {
      const bytes = await reads.get(i)!;
      reads.delete(i);
      await writeAll(write, [...tarHeaderBlocks({ ...header, type: 'file', size: bytes.length }), bytes, padding(bytes.length)]);
    }
  }
  await write(END_OF_ARCHIVE);
}

async function writeAll(write: (chunk: Buffer) => Promise<void>, chunks: readonly Buffer[]): Promise<void> {
  for (const c of chunks) if (c.length > 0) await write(c);
}

/** Context files are read from disk; the other kinds by the assembler, which knows the layers. */
export function contextReader(fromLayer: (digest: string, name: string) => Promise<Buffer>): ContentReader {
  return (content) => {
    if (content.kind === 'bytes') return Promise.resolve(content.bytes);
    if (content.kind === 'file') return readFile(content.path);
    return fromLayer(content.digest, content.name);
  };
}
