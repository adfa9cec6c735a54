/**
 * Writes an image held in the blob store as a `docker save` archive (manifest.json, the config,
 * one uncompressed layer.tar per layer): what scanners and SBOMs read for an image the store
 * already holds — assembled without an engine, or exported for its push (export-image.ts) — so no
 * further `docker save` runs. A layer whose unpacked size the export recorded streams straight
 * through gunzip; otherwise it is unpacked to a temp file first, to learn the size a tar header needs. Edge.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { loadTar } from './load-tar.js';
import type { BlobStore } from './blob-store.js';
import type { ExportedImage } from './export-image.js';

export async function writeDockerArchive(image: ExportedImage, store: BlobStore, file: string, tag?: string): Promise<void> {
  const pack = (await loadTar()).pack();
  const out = pipeline(pack, createWriteStream(file));
  const hex = (digest: string) => digest.replace(/^sha256:/, '');
  const layers = image.layers.map((l) => `${hex(l.diffId)}/layer.tar`);
  const add = (name: string, bytes: Buffer) => new Promise<void>((resolve, reject) => pack.entry({ name, mode: 0o644 }, bytes, (e) => (e ? reject(e) : resolve())));
  await add(`${hex(image.config.digest)}.json`, await store.read(image.config.digest));
  for (const [i, layer] of image.layers.entries()) {
    if (layer.tarSize !== undefined) {
      await pipeline(createReadStream(store.path(layer.digest)), createGunzip(), pack.entry({ name: layers[i]!, mode: 0o644, size: layer.tarSize }));
      continue;
    }
    // The uncompressed size is needed up front: unpack once to a temp file in the store.
    const temp = await store.tempPath();
    try {
      await pipeline(createReadStream(store.path(layer.digest)), createGunzip(), createWriteStream(temp));
      const size = (await stat(temp)).size;
      await pipeline(createReadStream(temp), pack.entry({ name: layers[i]!, mode: 0o644, size }));
    } finally {
      await rm(temp, { force: true });
    }
  }
  await add('manifest.json', Buffer.from(JSON.stringify([{ Config: `${hex(image.config.digest)}.json`, RepoTags: tag ? [tag] : null, Layers: layers }])));
  pack.finalize();
  await out;
}
