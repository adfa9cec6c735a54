/**
 * Writes one layer deterministically: entries in path order, every timestamp the build's epoch,
 * no user or group names, no PAX extras beyond what long names need; then gzip with a fixed header
 * (mtime 0, OS "Unix" whatever zlib was built for), so the same entries give the same diff id and
 * blob digest on any machine. Stored in the blob store like an engine export's layers. Edge.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { loadTar } from '../image/load-tar.js';
import type { BlobStore } from '../image/blob-store.js';
import { sha256Digest } from '../image/descriptor.js';
import { compare, type FileContent, type FsEntry } from './fs-tree.js';

export interface WrittenLayer {
  readonly digest: string;
  readonly size: number;
  readonly diffId: string;
}

/** Reads a file's bytes wherever they are (context file, base layer, memory). */
export type ContentReader = (content: FileContent) => Promise<Buffer>;

const gzip = promisify(zlib.gzip);

export async function writeLayer(entries: readonly FsEntry[], epoch: number, read: ContentReader, store: BlobStore): Promise<WrittenLayer> {
  const tarBytes = await createTar(entries, epoch, read);
  const diffId = sha256Digest(tarBytes);
  const gz = await gzip(tarBytes, { level: 6 });
  // Byte 9 is the OS that wrote the stream: fixed, so the digest does not depend on the machine.
  gz[9] = 3;
  const digest = `sha256:${createHash('sha256').update(gz).digest('hex')}`;
  await store.put(digest, gz);
  return { digest, size: gz.length, diffId };
}

export async function createTar(entries: readonly FsEntry[], epoch: number, read: ContentReader): Promise<Buffer> {
  const pack = (await loadTar()).pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const ended = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  const mtime = new Date(epoch * 1000);
  for (const e of [...entries].sort((a, b) => compare(a.path, b.path))) {
    const name = e.path.slice(1) + (e.type === 'dir' ? '/' : '');
    const header = { name, mode: e.mode, uid: e.uid, gid: e.gid, uname: '', gname: '', mtime };
    if (e.type === 'dir') pack.entry({ ...header, type: 'directory' });
    else if (e.type === 'symlink') pack.entry({ ...header, type: 'symlink', linkname: e.link! });
    else if (e.type === 'hardlink') pack.entry({ ...header, type: 'link', linkname: e.link!.slice(1) });
    else {
      const bytes = e.content ? await read(e.content) : Buffer.alloc(0);
      await new Promise<void>((resolve, reject) => pack.entry({ ...header, type: 'file', size: bytes.length }, bytes, (err) => (err ? reject(err) : resolve())));
    }
  }
  pack.finalize();
  await ended;
  return Buffer.concat(chunks);
}

/** Context files are read from disk; the other kinds by the assembler, which knows the layers. */
export function contextReader(fromLayer: (digest: string, name: string) => Promise<Buffer>): ContentReader {
  return (content) => {
    if (content.kind === 'bytes') return Promise.resolve(content.bytes);
    if (content.kind === 'file') return readFile(content.path);
    return fromLayer(content.digest, content.name);
  };
}
