/**
 * ADD's auto-extraction: a local file that is a tar archive (plain or gzip) is unpacked with the
 * archive's own modes and owners, as BuildKit does; any other file is copied as it is. Edge.
 */
import { gunzipSync } from 'node:zlib';
import { loadTar } from '../image/load-tar.js';
import { normalize, type FsEntry } from './fs-tree.js';

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
  const extract = (await loadTar()).extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (h, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        const path = normalize(h.name);
        const common = { path, mode: (h.mode ?? 0o644) & 0o7777, uid: h.uid ?? 0, gid: h.gid ?? 0 };
        if (h.type === 'directory') entries.push({ ...common, type: 'dir' });
        else if (h.type === 'symlink') entries.push({ ...common, type: 'symlink', link: h.linkname ?? '' });
        else if (h.type === 'link') entries.push({ ...common, type: 'hardlink', link: normalize(h.linkname ?? '') });
        else if (h.type === 'file' || h.type === 'contiguous-file') {
          const body = Buffer.concat(chunks);
          entries.push({ ...common, type: 'file', size: body.length, content: { kind: 'bytes', bytes: body } });
        }
        next();
      });
      stream.on('error', reject);
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  extract.end(data);
  await done;
  return entries.filter((e) => e.path !== '/');
}
