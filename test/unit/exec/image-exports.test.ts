/**
 * The run's one export path (exec/steps/image-exports.ts) over a stand-in engine that records what
 * it is asked, with a real blob store: an image is exported once however many steps ask, a failed
 * export is tried again, and a scanner's archive comes from the store when the image is there
 * (assembled, or exported for its push) and from the engine otherwise.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { BlobStore } from '../../../src/image/blob-store.js';
import { sha256Digest } from '../../../src/image/descriptor.js';
import type { ExportedImage } from '../../../src/image/export-image.js';
import { storeAsGzipBlob } from '../../../src/image/gzip-blob.js';
import type { Engine, Engines } from '../../../src/exec/ports/engine.js';
import { createImageExports } from '../../../src/exec/steps/image-exports.js';
import type { BuiltImage } from '../../../src/exec/steps/step-outputs.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'multiarch-image-exports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const store = new BlobStore(path.join(dir, 'store'));
const signal = new AbortController().signal;
const platform = { os: 'linux', architecture: 'arm64' };

/** An image really in the store: one layer holding /hello, and its config. */
async function storedImage(): Promise<ExportedImage> {
  const pack = tar.pack();
  pack.entry({ name: 'hello', mode: 0o644 }, 'hi\n');
  pack.finalize();
  const layer = await storeAsGzipBlob(pack as unknown as AsyncIterable<Buffer>, store);
  const config = Buffer.from(JSON.stringify({ architecture: 'arm64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.rawDigest] } }));
  const digest = sha256Digest(config);
  await store.put(digest, config);
  return { imageId: digest, platform, config: { digest, size: config.length }, layers: [{ digest: layer.digest, size: layer.size, diffId: layer.rawDigest, tarSize: layer.rawSize }] };
}

function engineThat(exportImage: (imageId: string) => Promise<ExportedImage>) {
  const asked: string[] = [];
  const engine: Pick<Engine, 'exportImage' | 'saveArchive'> = {
    exportImage: (imageId) => {
      asked.push(`export ${imageId}`);
      return exportImage(imageId);
    },
    saveArchive: async (imageId, file) => void asked.push(`save ${imageId} → ${path.basename(file)}`),
  };
  const engines = { get: (builder: string) => (builder === 'arm' ? engine : undefined) } as unknown as Engines;
  return { engines, asked };
}

const built = (imageId: string): BuiltImage => ({ imageId, platform, builder: 'arm' });

/** Entry names of a tar file. */
async function entries(file: string): Promise<string[]> {
  const names: string[] = [];
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    names.push(header.name);
    stream.on('end', next);
    stream.resume();
  });
  await new Promise<void>((resolve, reject) => {
    extract.on('finish', () => resolve());
    extract.on('error', reject);
    Readable.from(readFileSync(file)).pipe(extract);
  });
  return names;
}

describe('image exports', () => {
  it('exports an image once however many steps ask, and writes archives from that export', async () => {
    const image = await storedImage();
    const { engines, asked } = engineThat(async () => image);
    const exports = createImageExports(engines, store);
    const [a, b] = await Promise.all([exports.get(built(image.imageId), signal), exports.get(built(image.imageId), signal)]);
    expect(a).toBe(b);
    const file = path.join(dir, 'sbom-input.tar');
    await exports.writeArchive(built(image.imageId), signal)(file);
    expect(asked).toEqual([`export ${image.imageId}`]);
    const hex = image.layers[0]!.diffId.replace('sha256:', '');
    expect(await entries(file)).toEqual([`${image.imageId.replace('sha256:', '')}.json`, `${hex}/layer.tar`, 'manifest.json']);
  });

  it('has the engine write the archive of an image not exported yet (a scan, before its push)', async () => {
    const { engines, asked } = engineThat(async () => {
      throw new Error('a scan must not export');
    });
    await createImageExports(engines, store).writeArchive(built('sha256:scanned'), signal)(path.join(dir, 'image.tar'));
    expect(asked).toEqual(['save sha256:scanned → image.tar']);
  });

  it('tries a failed export again, and never asks an engine for an assembled image', async () => {
    const image = await storedImage();
    let fail = true;
    const { engines, asked } = engineThat(async () => {
      if (fail) throw new Error('docker save failed');
      return image;
    });
    const exports = createImageExports(engines, store);
    await expect(exports.get(built('sha256:flaky'), signal)).rejects.toThrow('docker save failed');
    fail = false;
    await expect(exports.get(built('sha256:flaky'), signal)).resolves.toBe(image);
    expect(asked).toEqual(['export sha256:flaky', 'export sha256:flaky']);

    const assembled = { ...image, imageId: 'sha256:assembled' };
    exports.add(assembled);
    await expect(exports.get({ ...built('sha256:assembled'), assembled: true }, signal)).resolves.toBe(assembled);
    await exports.writeArchive({ ...built('sha256:assembled'), assembled: true }, signal)(path.join(dir, 'assembled.tar'));
    expect(asked).toHaveLength(2);
  });
});
