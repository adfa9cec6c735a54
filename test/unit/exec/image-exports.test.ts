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
import type { HeldLayer } from '../../../src/image/held-layers.js';
import { createImageManifest } from '../../../src/image/manifest.js';
import { recordedBases } from '../../../src/plan/incremental/inputs-digest.js';
import type { InputsDetail } from '../../../src/plan/incremental/types.js';
import { createRegistryPool } from '../../../src/registry/pool.js';
import { createRegistryAccess } from '../../../src/state/registry-access.js';
import { fakeRegistry } from '../registry/fake-registry.js';
import { startServer } from '../registry/http-double.js';

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

function engineThat(exportImage: (imageId: string, held: readonly HeldLayer[]) => Promise<ExportedImage>) {
  const asked: string[] = [];
  const engine: Pick<Engine, 'exportImage' | 'saveArchive'> = {
    exportImage: (imageId, _signal, held = []) => {
      asked.push(`export ${imageId}`);
      return exportImage(imageId, held);
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

describe('image exports and the layers of a base', () => {
  const d = (n: number) => `sha256:${String(n).repeat(64)}`;

  /** A registry holding `team/base`'s linux/arm64 image (two gzip layers), and the detail recording it. */
  async function baseRegistry() {
    const fake = fakeRegistry();
    const server = await startServer(fake.route);
    const config = Buffer.from(JSON.stringify({ os: 'linux', architecture: 'arm64', rootfs: { type: 'layers', diff_ids: [d(1), d(2)] } }));
    const configDigest = sha256Digest(config);
    fake.blobs.set(configDigest, config);
    fake.repoBlobs.set('team/base', new Set([configDigest]));
    const manifest = createImageManifest({ config: { digest: configDigest, size: config.length }, layers: [{ digest: d(5), size: 500 }, { digest: d(6), size: 600 }] }, 'oci');
    fake.manifests.set(`team/base:${manifest.digest}`, { bytes: manifest.bytes, type: manifest.mediaType });
    const access = createRegistryAccess(createRegistryPool(), []);
    const ref = `${server.host}/team/base:1`;
    // As a build records them: `<ref> <platform>` → the platform image's digest.
    const recorded: InputsDetail['bases'] = { [`${ref} linux/arm64`]: manifest.digest, [`${server.host}/team/gone:1 linux/arm64`]: d(9), 'scratch-like linux/arm64': 'unknown' };
    const bases = recordedBases(recorded);
    return { server, access, bases, host: server.host, ref, manifest };
  }

  const exported = (imageId: string): ExportedImage => ({ imageId, platform, config: { digest: imageId, size: 1 }, layers: [] });

  it("hands the engine the layers the image shares with a base its inputs record, read as the build starts", async () => {
    const { server, access, bases, host, ref, manifest } = await baseRegistry();
    expect(bases).toEqual([
      { ref, platform: 'linux/arm64', digest: manifest.digest },
      { ref: `${host}/team/gone:1`, platform: 'linux/arm64', digest: d(9) },
    ]);
    const seen: Array<readonly HeldLayer[]> = [];
    const { engines } = engineThat(async (imageId, held) => {
      seen.push(held);
      return exported(imageId);
    });
    const exports = createImageExports(engines, store, access);
    exports.readBases(bases, signal);
    const image = { ...built('sha256:withbase'), bases, diffIds: [d(1), d(2), d(3)] };
    await exports.get(image, signal, { baseLayers: true });
    expect(seen).toEqual([
      [
        { diffId: d(1), digest: d(5), size: 500, host, repository: 'team/base' },
        { diffId: d(2), digest: d(6), size: 600, host, repository: 'team/base' },
      ],
    ]);
    // Read once (the build's read), though the export asked again; the missing base is simply left out.
    expect(server.requests.filter((r) => r.path.startsWith('/v2/team/base/')).map((r) => r.method)).toEqual(['GET', 'GET']);
  });

  it('gzips every layer here for a first push to a layout, or when its layers do not start with the base', async () => {
    const { access, bases } = await baseRegistry();
    const seen: Array<readonly HeldLayer[]> = [];
    const { engines } = engineThat(async (imageId, held) => {
      seen.push(held);
      return exported(imageId);
    });
    const exports = createImageExports(engines, store, access);
    await exports.get({ ...built('sha256:tolayout'), bases, diffIds: [d(1), d(2)] }, signal, { baseLayers: false });
    await exports.get({ ...built('sha256:otherbase'), bases, diffIds: [d(2), d(1)] }, signal, { baseLayers: true });
    expect(seen).toEqual([[], []]);
  });

  it("has the engine write a scanner's archive of an image whose base layers stayed in the registry", async () => {
    const image = await storedImage();
    const held = { ...image, layers: image.layers.map((l) => ({ ...l, from: { host: 'registry.test', repository: 'team/base' } })) };
    const { engines, asked } = engineThat(async () => held);
    const exports = createImageExports(engines, store);
    await exports.get(built(image.imageId), signal);
    await exports.writeArchive(built(image.imageId), signal)(path.join(dir, 'held.tar'));
    expect(asked).toEqual([`export ${image.imageId}`, `save ${image.imageId} → held.tar`]);
  });
});
