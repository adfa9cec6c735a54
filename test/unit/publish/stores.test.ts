import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Digest } from '../../../src/image/descriptor.js';
import { createImageIndex, createImageManifest } from '../../../src/image/manifest.js';
import type { BlobSource } from '../../../src/publish/content-store.js';
import { LayoutStore } from '../../../src/publish/layout-store.js';
import { publishImage } from '../../../src/publish/publish-image.js';
import { RegistryStore } from '../../../src/publish/registry-store.js';
import { readChildren, verifyIndex } from '../../../src/publish/verify-index.js';
import { writeManifest } from '../../../src/publish/write-manifest.js';
import { createRegistryPool } from '../../../src/registry/pool.js';
import { fakeRegistry, withFaults } from '../registry/fake-registry.js';
import { startServer } from '../registry/http-double.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'multiarch-layout-'));
  dirs.push(d);
  return d;
};

function memoryBlob(bytes: Buffer): BlobSource {
  return {
    digest: sha256Digest(bytes),
    size: bytes.length,
    async *open(start, end) {
      yield bytes.subarray(start, end);
    },
  };
}

/** A tiny linux/arm64 image: config + one layer, and its OCI manifest. */
function image(arch = 'arm64') {
  const config = Buffer.from(JSON.stringify({ os: 'linux', architecture: arch, rootfs: { type: 'layers', diff_ids: [] } }));
  const layer = randomBytes(3000);
  const blobs = [memoryBlob(config), memoryBlob(layer)];
  const manifest = createImageManifest({ config: { digest: blobs[0]!.digest, size: config.length }, layers: [{ digest: blobs[1]!.digest, size: layer.length }] }, 'oci');
  return { manifest, blobs };
}

async function registryStore(route = fakeRegistry()) {
  const server = await startServer(route.route);
  const pool = createRegistryPool({ http: { attempts: 2 } });
  const store = new RegistryStore(pool.get({ host: server.host, apiHost: server.host, scheme: 'http', authKey: server.host }));
  return { server, store, fake: route };
}

describe('RegistryStore', () => {
  it('puts a blob two pushes need once: the second mounts it from the first repository', async () => {
    const { server, store } = await registryStore();
    const blob = memoryBlob(randomBytes(2000));
    const outcomes = await Promise.all([store.putBlob('team/web-amd64', blob), store.putBlob('team/web-arm64', blob), store.putBlob('team/web-amd64', blob)]);
    expect(outcomes).toEqual(['uploaded', 'mounted', 'skipped']);
    expect(server.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
    const mount = server.requests.find((r) => r.query.get('mount'));
    expect([mount?.path, mount?.query.get('from')]).toEqual(['/v2/team/web-arm64/blobs/uploads/', 'team/web-amd64']);
  });

  it('falls back to an upload when a mount is answered with 202', async () => {
    const fake = fakeRegistry();
    const route = withFaults(fake.route, (r) => r.query.has('mount'), () => ({ status: 202, headers: { location: '/v2/team/app/blobs/uploads/declined' } }));
    const { server, store } = await registryStore({ ...fake, route });
    const blob = memoryBlob(randomBytes(1000));
    await store.putBlob('team/base', blob);
    expect(await store.putBlob('team/app', blob, { mountFrom: ['team/base'] })).toBe('uploaded');
    expect(server.requests.map((r) => `${r.method} ${r.path}`).slice(-4)).toEqual([
      'POST /v2/team/app/blobs/uploads/',
      'DELETE /v2/team/app/blobs/uploads/declined',
      'POST /v2/team/app/blobs/uploads/',
      'PUT /v2/team/app/blobs/uploads/s2',
    ]);
  });
});

describe('RegistryStore and the blobs a base holds', () => {
  /** A registry whose `library/base` holds `bytes` (as a base image's layer). */
  async function withBase(bytes: Buffer, route?: (fake: ReturnType<typeof fakeRegistry>) => ReturnType<typeof fakeRegistry>['route']) {
    const fake = fakeRegistry();
    const blob = memoryBlob(bytes);
    fake.blobs.set(blob.digest, bytes);
    fake.repoBlobs.set('library/base', new Set([blob.digest]));
    const server = await startServer(route ? route(fake) : fake.route);
    const pool = createRegistryPool({ http: { attempts: 2 } });
    const target = { host: server.host, apiHost: server.host, scheme: 'http' as const, authKey: server.host };
    // The base's registry as its own store object, on the run's one session for that registry.
    const baseStore = new RegistryStore(pool.get(target));
    const store = new RegistryStore(pool.get(target));
    const held: BlobSource = { ...baseStore.readBlob('library/base', blob.digest, bytes.length), heldBy: { store: baseStore, repository: 'library/base' } };
    return { server, store, held, fake };
  }

  it('mounts a base layer from its repository on the same registry, without asking first', async () => {
    const { server, store, held } = await withBase(randomBytes(200_000));
    expect(await store.putBlob('team/web', held)).toBe('mounted');
    expect(server.requests.map((r) => `${r.method} ${r.path}?${r.query}`)).toEqual([`POST /v2/team/web/blobs/uploads/?mount=${encodeURIComponent(held.digest)}&from=library%2Fbase`]);
  });

  it("sends a base layer's bytes, read from its repository, when the registry refuses the mount", async () => {
    const { server, store, held, fake } = await withBase(randomBytes(200_000), (f) => withFaults(f.route, (r) => r.query.has('mount'), () => ({ status: 403, body: '{"errors":[{"code":"DENIED"}]}' })));
    expect(await store.putBlob('team/web', held)).toBe('uploaded');
    expect(fake.repoBlobs.get('team/web')?.has(held.digest)).toBe(true);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v2/team/web/blobs/uploads/',
      'HEAD /v2/team/web/blobs/' + held.digest,
      'POST /v2/team/web/blobs/uploads/',
      'GET /v2/library/base/blobs/' + held.digest,
      'PUT /v2/team/web/blobs/uploads/s1',
    ]);
  });

  it('sends a small blob with nowhere to mount it from without a HEAD; a large one is asked for first', async () => {
    const { server, store } = await registryStore();
    const small = memoryBlob(randomBytes(64 * 1024));
    expect(await store.putBlob('team/web', small)).toBe('uploaded');
    expect(server.requests.map((r) => r.method)).toEqual(['POST', 'PUT']);
    const large = memoryBlob(randomBytes(64 * 1024 + 1));
    expect(await store.putBlob('team/web', large)).toBe('uploaded');
    expect(server.requests.slice(2).map((r) => r.method)).toEqual(['HEAD', 'POST', 'PUT']);
  });
});

describe('writeManifest', () => {
  it('puts the tag alone (it stores the manifest by digest too); a tag that already holds the digest gets no PUT at all', async () => {
    const { server, store } = await registryStore();
    const { manifest } = image();
    expect(await writeManifest(store, 'team/web', manifest, ['v1'])).toEqual({ written: ['v1'], unchanged: [], putByDigest: false });
    expect(server.requests.map((r) => `${r.method} ${r.path.split('/manifests/')[1]}`)).toEqual(['HEAD v1', 'PUT v1']);
    expect((await store.headManifest('team/web', manifest.digest))?.digest).toBe(manifest.digest);
    const before = server.requests.length;
    expect(await writeManifest(store, 'team/web', manifest, ['v1'])).toEqual({ written: [], unchanged: ['v1'], putByDigest: false });
    expect(server.requests.slice(before).map((r) => r.method)).toEqual(['HEAD']);
  });

  it('puts a manifest with no tag in the repository by digest, once', async () => {
    const { server, store } = await registryStore();
    const { manifest } = image();
    expect(await writeManifest(store, 'team/web', manifest, [])).toEqual({ written: [], unchanged: [], putByDigest: true });
    expect(await writeManifest(store, 'team/web', manifest, [])).toEqual({ written: [], unchanged: [], putByDigest: false });
    expect(server.requests.map((r) => `${r.method} ${r.path.split('/manifests/')[1]}`)).toEqual([`HEAD ${manifest.digest}`, `PUT ${manifest.digest}`, `HEAD ${manifest.digest}`]);
  });

  it('does not read again the names the caller has just read', async () => {
    const { server, store } = await registryStore();
    const { manifest } = image();
    expect(await writeManifest(store, 'team/web', manifest, ['v1', 'stable'], undefined, new Map([['v1', undefined]]))).toMatchObject({ written: ['v1', 'stable'] });
    expect(server.requests.map((r) => `${r.method} ${r.path.split('/manifests/')[1]}`).sort()).toEqual(['HEAD stable', 'PUT stable', 'PUT v1']);
    const before = server.requests.length;
    // Known to hold it already: nothing is sent, not even a HEAD.
    expect(await writeManifest(store, 'team/web', manifest, ['v1'], undefined, new Map([['v1', manifest.digest]]))).toMatchObject({ unchanged: ['v1'] });
    expect(await writeManifest(store, 'team/web', manifest, [], undefined, new Map([[manifest.digest, manifest.digest]]))).toMatchObject({ putByDigest: false });
    expect(server.requests.length).toBe(before);
  });

  it('says which digest an immutable tag holds and which this apply would write', async () => {
    const fake = fakeRegistry();
    const { store, server } = await registryStore(fake);
    const first = image('amd64').manifest;
    const second = image('arm64').manifest;
    await writeManifest(store, 'team/web', first, ['v1']);
    fake.immutable = true;
    await expect(writeManifest(store, 'team/web', second, ['v1'])).rejects.toMatchObject({
      code: 'E_TAG_IMMUTABLE',
      message: `tag ${server.host}/team/web:v1 holds ${first.digest}, this apply would write ${second.digest}`,
      hint: expect.stringContaining('new tag'),
    });
    // Re-applying what is there is still fine on an immutable repository.
    expect((await writeManifest(store, 'team/web', first, ['v1'])).unchanged).toEqual(['v1']);
  });
});

describe('verifyIndex', () => {
  it('passes what was written, and names a tag holding another index, a missing child, a child of another platform', async () => {
    const store = new LayoutStore(path.join(tempDir(), 'oci'));
    const arm = image('arm64');
    const amd = image('amd64');
    await publishImage(store, new Map([['team/web', ['arm', 'amd']]]), arm);
    await publishImage(store, new Map([['team/web', ['amd']]]), amd);
    const arm64 = { os: 'linux', architecture: 'arm64' };
    const index = createImageIndex([{ ...arm.manifest, platform: arm64 }], 'oci');
    await writeManifest(store, 'team/web', index, ['v1']);
    await verifyIndex(store, 'team/web', 'v1', { digest: index.digest, children: [{ digest: arm.manifest.digest, platform: arm64 }] });
    await expect(verifyIndex(store, 'team/web', 'v1', { digest: 'sha256:other', children: [] })).rejects.toThrow(`the tag holds ${index.digest}`);
    // Listed as arm64, but its config says amd64.
    const lying = createImageIndex([{ ...amd.manifest, platform: arm64 }], 'oci');
    await writeManifest(store, 'team/web', lying, ['v2']);
    await expect(verifyIndex(store, 'team/web', 'v2', { digest: lying.digest, children: [{ digest: amd.manifest.digest, platform: arm64 }] })).rejects.toThrow('the child listed as linux/arm64 is a linux/amd64 image');
    // A child the repository does not hold.
    const ghost = image('arm64');
    const missing = createImageIndex([{ ...ghost.manifest, platform: arm64 }], 'oci');
    await writeManifest(store, 'team/web', missing, ['v3']);
    await expect(verifyIndex(store, 'team/web', 'v3', { digest: missing.digest, children: [{ digest: ghost.manifest.digest, platform: arm64 }] })).rejects.toThrow('does not exist in team/web');
  });
});

describe('readChildren + verifyIndex', () => {
  it('reads each child once for the check before writing and the read-back, and still judges them', async () => {
    const layout = new LayoutStore(path.join(tempDir(), 'oci'));
    const reads: string[] = [];
    const store = {
      host: layout.host,
      getManifest: (repo: string, ref: string) => (reads.push(`manifest ${ref}`), layout.getManifest(repo, ref)),
      getBlob: (repo: string, digest: string) => (reads.push(`blob ${digest}`), layout.getBlob(repo, digest)),
    };
    const amd = image('amd64');
    await publishImage(layout, new Map([['team/web', ['amd']]]), amd);
    const arm64 = { os: 'linux', architecture: 'arm64' };
    const ahead = readChildren(store, 'team/web', [amd.manifest.digest, 'sha256:'.padEnd(71, '0')]);
    expect(await Promise.all(ahead.map((r) => r.exists))).toEqual([true, false]);
    // Listed as arm64, but its config (read ahead) says amd64.
    const lying = createImageIndex([{ ...amd.manifest, platform: arm64 }], 'oci');
    await writeManifest(layout, 'team/web', lying, ['v1']);
    await expect(verifyIndex(store, 'team/web', 'v1', { digest: lying.digest, children: [{ digest: amd.manifest.digest, platform: arm64 }] }, undefined, ahead)).rejects.toThrow('is a linux/amd64 image');
    expect(reads.filter((r) => r === `manifest ${amd.manifest.digest}`)).toHaveLength(1);
    expect(reads.filter((r) => r.startsWith('blob '))).toHaveLength(1);
    expect(reads).toContain('manifest v1');
  });
});

describe('LayoutStore', () => {
  it('writes a spec layout: oci-layout, blobs by digest, index.json entries named repository:tag', async () => {
    const dir = tempDir();
    const store = new LayoutStore(path.join(dir, 'oci'));
    const { manifest, blobs } = image();
    const stats = await publishImage(store, new Map([['team/web', ['v1-linux-arm64']]]), { manifest, blobs });
    expect(stats).toMatchObject({ uploaded: 2, tagsWritten: 1 });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'oci/oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    const index = createImageIndex([{ ...manifest, platform: { os: 'linux', architecture: 'arm64' } }], 'oci', { 'org.opencontainers.image.revision': 'abc' });
    await writeManifest(store, 'team/web', index, ['v1']);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'oci/index.json'), 'utf8'));
    expect(json).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.size, annotations: { 'org.opencontainers.image.ref.name': 'team/web:v1-linux-arm64' } },
        { mediaType: index.mediaType, digest: index.digest, size: index.size, annotations: { 'org.opencontainers.image.ref.name': 'team/web:v1' } },
      ],
    });
    for (const d of [manifest.digest, index.digest, ...blobs.map((b) => b.digest)]) {
      expect(sha256Digest(fs.readFileSync(path.join(dir, 'oci/blobs/sha256', d.slice(7))))).toBe(d);
    }
    await verifyIndex(store, 'team/web', 'v1', { digest: index.digest, children: [{ digest: manifest.digest, platform: { os: 'linux', architecture: 'arm64' } }] });
    expect(await store.headManifest('team/web', 'v1')).toEqual({ mediaType: index.mediaType, digest: index.digest, size: index.size });
    expect(await store.headManifest('team/other', 'v1')).toBeUndefined();
  });

  it('moves a tag to a new digest, keeps other names, and leaves an unchanged tag alone', async () => {
    const store = new LayoutStore(path.join(tempDir(), 'oci'));
    const a = image('amd64');
    const b = image('arm64');
    await publishImage(store, new Map([['team/web', ['v1', 'stable']]]), a);
    const stats = await publishImage(store, new Map([['team/web', ['v1']]]), b);
    expect(stats).toMatchObject({ tagsWritten: 1, tagsUnchanged: 0 });
    expect((await store.headManifest('team/web', 'v1'))?.digest).toBe(b.manifest.digest);
    expect((await store.headManifest('team/web', 'stable'))?.digest).toBe(a.manifest.digest);
    expect(await publishImage(store, new Map([['team/web', ['v1']]]), b)).toMatchObject({ uploaded: 0, skipped: 2, tagsWritten: 0, tagsUnchanged: 1 });
  });

  it('refuses bytes that do not match their digest, writing nothing', async () => {
    const dir = path.join(tempDir(), 'oci');
    const store = new LayoutStore(dir);
    const bad: BlobSource = { ...memoryBlob(Buffer.from('real')), open: async function* () { yield Buffer.from('fake'); } };
    await expect(store.putBlob('x', bad)).rejects.toMatchObject({ code: 'E_DIGEST_MISMATCH' });
    expect(fs.readdirSync(path.join(dir, 'blobs/sha256'))).toEqual([]);
    expect(fs.readdirSync(path.join(dir, 'blobs')).filter((f) => f.startsWith('.tmp'))).toEqual([]);
  });

  it('refuses a directory holding another layout version', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'oci-layout'), '{"imageLayoutVersion":"2.0.0"}');
    await expect(new LayoutStore(dir).putBlob('x', memoryBlob(Buffer.from('data')))).rejects.toMatchObject({
      code: 'E_LAYOUT',
      message: `oci:${dir} is an image layout of version 2.0.0, not 1.0.0`,
    });
  });
});
