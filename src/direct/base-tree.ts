/**
 * A base image's filesystem from its layers (in the blob store), applied bottom-up with OCI
 * whiteouts (`.wh.name` deletes, `.wh..wh..opq` empties a directory), as an engine unpacks them.
 * File bytes stay in the layers and are read back by entry name only when a copy needs them. Edge.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type tar from 'tar-stream';
import { loadTar } from '../image/load-tar.js';
import type { BlobStore } from '../image/blob-store.js';
import { FsTree, normalize, type FsEntry } from './fs-tree.js';

export async function readBaseTree(layers: readonly string[], store: BlobStore): Promise<FsTree> {
  const tree = new FsTree();
  tree.set({ path: '/', type: 'dir', mode: 0o755, uid: 0, gid: 0 });
  for (const digest of layers) {
    await eachEntry(store, digest, (header) => {
      const path = normalize(header.name);
      const base = path.slice(path.lastIndexOf('/') + 1);
      const dir = path.slice(0, path.lastIndexOf('/')) || '/';
      if (base === '.wh..wh..opq') {
        for (const e of tree.under(dir)) tree.remove(e.path);
        return;
      }
      if (base.startsWith('.wh.')) {
        tree.remove(`${dir}/${base.slice(4)}`);
        return;
      }
      const entry = toEntry(path, header, digest);
      if (!entry) return;
      // A non-directory replaces whatever was there; a directory over a directory keeps its children.
      if (entry.type !== 'dir' || tree.get(path)?.type !== 'dir') tree.remove(path);
      tree.set(entry);
    });
  }
  return tree;
}

function toEntry(path: string, h: tar.Header, digest: string): FsEntry | undefined {
  const common = { path, mode: (h.mode ?? 0o644) & 0o7777, uid: h.uid ?? 0, gid: h.gid ?? 0 };
  switch (h.type) {
    case 'directory':
      return { ...common, type: 'dir' };
    case 'symlink':
      return { ...common, type: 'symlink', link: h.linkname ?? '' };
    case 'link':
      return { ...common, type: 'hardlink', link: normalize(h.linkname ?? '') };
    case 'file':
    case 'contiguous-file':
      return { ...common, type: 'file', size: h.size ?? 0, content: { kind: 'layer', digest, name: h.name } };
    default:
      // Devices and fifos are not copied by COPY --from either.
      return undefined;
  }
}

/** The bytes of one entry of a layer. */
export async function readLayerEntry(store: BlobStore, digest: string, name: string): Promise<Buffer> {
  let found: Buffer | undefined;
  await eachEntry(store, digest, (header, body) => {
    if (header.name === name) found = body;
  }, name);
  if (!found) throw new Error(`layer ${digest} has no entry ${name}`);
  return found;
}

async function eachEntry(store: BlobStore, digest: string, visit: (h: tar.Header, body?: Buffer) => void, keep?: string): Promise<void> {
  const extract = (await loadTar()).extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      const wanted = keep !== undefined && header.name === keep;
      stream.on('data', (c: unknown) => {
        if (wanted) chunks.push(c as Buffer);
      });
      stream.on('end', () => {
        visit(header, wanted ? Buffer.concat(chunks) : undefined);
        next();
      });
      stream.on('error', reject);
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  const source = createReadStream(store.path(digest));
  const head = await store.read(digest).then((b) => b.subarray(0, 2));
  if (head[0] === 0x1f && head[1] === 0x8b) source.pipe(createGunzip()).pipe(extract);
  else source.pipe(extract);
  await done;
}
