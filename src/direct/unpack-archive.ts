/**
 * ADD's auto-extraction: a local file that is a tar archive (plain or gzip) is unpacked with the
 * archive's own modes and owners, as BuildKit does; any other file is copied as it is. Read with
 * the same tar reader as base layers (tar-read.ts). Edge.
 */
import { gunzipSync } from 'node:zlib';
import { entryFromTar, normalize, type FsEntry } from './fs-tree.js';
import { readTarEntries } from './tar-read.js';

export async function unpackArchive(bytes: Buffer): Promise<FsEntry[] | undefined> {
  let data = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      data = gunzipSync(bytes);
    } catch {
      return undefined;
    }
  }
  if (data.length < 512 || data.subarray(257, 262).toString('latin1') !== 'ustar') return undefined;
  const entries: FsEntry[] = [];
  const isFile = (type: string | undefined) => type === 'file' || type === 'contiguous-file';
  await readTarEntries(
    [data],
    (h, body) => {
      const entry = entryFromTar(normalize(h.name), h, { kind: 'bytes', bytes: body ?? Buffer.alloc(0) });
      if (entry) entries.push(entry);
    },
    (h) => isFile(h.type),
  );
  return entries.filter((e) => e.path !== '/');
}
