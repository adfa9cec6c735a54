/**
 * A base image's filesystem from its layers (in the blob store), applied bottom-up with OCI
 * whiteouts (`.wh.name` deletes, `.wh..wh..opq` empties a directory), as an engine unpacks them.
 * File bytes stay in the layers and are read back by entry name only when a copy needs them. The
 * layers' headers are read side by side (gunzip runs off the main thread), then applied in order. Edge.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { BlobStore } from '../image/blob-store.js';
import { entryFromTar, FsTree, normalize } from './fs-tree.js';
import type { SharedWork } from './shared-work.js';
import { readTarEntries, type TarEntry } from './tar-read.js';

export async function readBaseTree(layers: readonly string[], store: BlobStore, shared: SharedWork): Promise<FsTree> {
  const tree = new FsTree();
  tree.set({ path: '/', type: 'dir', mode: 0o755, uid: 0, gid: 0 });
  const headers = await Promise.all(layers.map((digest) => layerEntries(shared, digest, () => fileChunks(store, digest))));
  for (const [i, digest] of layers.entries()) {
    for (const header of headers[i]!) {
      const path = normalize(header.name);
      const base = path.slice(path.lastIndexOf('/') + 1);
      const dir = path.slice(0, path.lastIndexOf('/')) || '/';
      if (base === '.wh..wh..opq') {
        for (const e of tree.under(dir)) tree.remove(e.path);
        continue;
      }
      if (base.startsWith('.wh.')) {
        tree.remove(`${dir}/${base.slice(4)}`);
        continue;
      }
      // Devices and fifos are not copied by COPY --from either.
      const entry = entryFromTar(path, header, { kind: 'layer', digest, name: header.name });
      if (!entry) continue;
      // A non-directory replaces whatever was there; a directory over a directory keeps its children.
      if (entry.type !== 'dir' || tree.get(path)?.type !== 'dir') tree.remove(path);
      tree.set(entry);
    }
  }
  return tree;
}

/**
 * A layer's entries, listed once per run: from the bytes just fetched (`listFetchedLayer`, while
 * the other blobs are still coming) or else from the blob store.
 */
function layerEntries(shared: SharedWork, digest: string, chunks: () => Promise<AsyncIterable<Buffer> | Iterable<Buffer>>): Promise<TarEntry[]> {
  return shared.once(`entries\0${digest}`, async () => {
    const list: TarEntry[] = [];
    await readTarEntries(await chunks(), (header) => list.push(header));
    return list;
  });
}

/** Lists a freshly fetched layer from its bytes in memory, ahead of the stage that will read its tree. */
export function listFetchedLayer(shared: SharedWork, digest: string, bytes: Buffer): void {
  const listed = layerEntries(shared, digest, async () => (isGzipHead(bytes) ? pipeline(Readable.from([bytes]), createGunzip({ chunkSize: 1 << 18 }), () => undefined) : [bytes]));
  // Awaited by the stage that reads the tree, if any; a bad layer fails there, not here.
  listed.catch(() => undefined);
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

async function eachEntry(store: BlobStore, digest: string, visit: (h: TarEntry, body?: Buffer) => void, keep?: string): Promise<void> {
  await readTarEntries(await fileChunks(store, digest), visit, keep === undefined ? undefined : (h) => h.name === keep);
}

/** A stored layer's tar bytes (gunzipped when it is gzip). */
async function fileChunks(store: BlobStore, digest: string): Promise<AsyncIterable<Buffer>> {
  const file = store.path(digest);
  const gzipped = await isGzip(file);
  const source = createReadStream(file, { highWaterMark: 1 << 20 });
  return gzipped ? pipeline(source, createGunzip({ chunkSize: 1 << 18 }), () => undefined) : source;
}

/** Layers are gzip or plain tar: the first two bytes tell. */
async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return isGzipHead(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

function isGzipHead(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
