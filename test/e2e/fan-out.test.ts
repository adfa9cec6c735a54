/**
 * One image, two registries (the plain one and the htpasswd one, each behind a recording proxy):
 * built and exported once; the first target receives it from the engine in the Docker Hub
 * per-architecture layout (the index repository mounts the children instead of re-uploading),
 * the second is filled by a registry-to-registry copy of the same manifests and blobs. Digests are
 * identical on both; every blob goes up once per registry; a second apply writes nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { multiarch, parseEvents } from './support/cli.js';
import { testEnv } from './support/env.js';
import { startFaultProxy, uploadsByDigest, type FaultProxy } from './support/fault-proxy.js';
import { makeFixture } from './support/fixtures.js';
import { assertNoBrokenIndex } from './support/integrity.js';
import { isIndex, skopeoInspectRaw } from './support/registry.js';

const proxies: FaultProxy[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

type Event = ReturnType<typeof parseEvents>[number];
const ended = (events: Event[], prefix: string) => events.filter((e) => e.type === 'node:end' && String(e.id).startsWith(prefix));
const writes = (p: FaultProxy) => p.log.filter((e) => e.method === 'PUT' || e.method === 'PATCH' || e.method === 'POST');

describe('fan-out: one build, two registries', () => {
  it('exports once, mounts within a registry, copies across, with identical digests; a re-apply writes nothing', async () => {
    const { registry, authRegistry, authUser, authPassword, baseImage } = testEnv();
    const hub = await startFaultProxy({ upstream: registry });
    const priv = await startFaultProxy({ upstream: authRegistry });
    proxies.push(hub, priv);
    const dockerConfig = mkdtempSync(path.join(os.tmpdir(), 'multiarch-fanout-'));
    dirs.push(dockerConfig);
    writeFileSync(path.join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [priv.host]: { auth: Buffer.from(`${authUser}:${authPassword}`).toString('base64') } } }));
    const base = `e2e/fanout-${Date.now()}`;
    const dir = makeFixture({
      'app/Dockerfile': `FROM ${baseImage}\nCOPY note.txt /note.txt\n`,
      'app/note.txt': `${base}\n`,
      'multiarch.config.ts': `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: {
    hub: { url: '${hub.host}', insecure: true },
    private: { url: '${priv.host}', insecure: true },
  },
  images: {
    web: {
      context: './app',
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: ['v1'],
      // On the engine, so the export from it is what is counted (a RUN-less image is otherwise assembled).
      build: { engine: 'docker' },
      publish: [
        { registry: 'hub', repository: '${base}/multi-arch', platformRepository: '${base}/web-{arch}', platformTag: '{tag}' },
        { registry: 'private', repository: '${base}/web' },
      ],
    },
  },
});
`,
    });
    const env = { DOCKER_CONFIG: dockerConfig };

    const run = await multiarch(['apply', '--json'], { cwd: dir, env });
    expect(run.exitCode, run.all).toBe(0);
    for (const secret of [authPassword, Buffer.from(`${authUser}:${authPassword}`).toString('base64')]) expect(run.all).not.toContain(secret);
    const events = parseEvents(run.stdout);
    // Built once per platform, exported once per platform: the private pushes copy.
    expect(ended(events, 'build:')).toHaveLength(2);
    const progress = events.filter((e) => e.type === 'node:progress').map((e) => `${e.id} ${e.message}`);
    expect(progress.filter((m) => m.endsWith('exporting from the engine')).sort()).toEqual([
      'push:web@linux/amd64->hub exporting from the engine',
      'push:web@linux/arm64->hub exporting from the engine',
    ]);
    expect(progress.filter((m) => m.startsWith('push:web@linux/arm64->private copying'))).toHaveLength(1);

    // Docker Hub layout on the first registry: the index repository mounts each child's blobs.
    const mounts = hub.log.filter((e) => e.method === 'POST' && e.query.has('mount'));
    expect(mounts.every((m) => m.status === 201 && m.query.get('from')?.startsWith(`${base}/web-`))).toBe(true);
    expect(mounts.filter((m) => m.path === `/v2/${base}/multi-arch/blobs/uploads/`).length).toBeGreaterThanOrEqual(6);
    expect(hub.log.filter((e) => e.path.startsWith(`/v2/${base}/multi-arch/blobs/uploads/`) && e.method === 'PUT')).toEqual([]);
    // No blob goes up twice to one registry.
    for (const p of [hub, priv]) expect([...uploadsByDigest(p.log).values()].every((n) => n === 1), JSON.stringify([...uploadsByDigest(p.log)])).toBe(true);
    expect(uploadsByDigest(priv.log).size).toBeGreaterThanOrEqual(4);
    // The copy read the blobs back from the first registry.
    expect(hub.log.filter((e) => e.method === 'GET' && e.path.includes('/blobs/sha256:')).length).toBeGreaterThanOrEqual(4);

    // The exact same manifests on both registries.
    const creds = { user: authUser, password: authPassword };
    const onHub = await skopeoInspectRaw(`${registry}/${base}/multi-arch:v1`);
    const onPrivate = await skopeoInspectRaw(`${authRegistry}/${base}/web:v1`, { creds });
    expect(onPrivate).toEqual(onHub);
    const indexes = ended(events, 'index:').map((e) => (e as unknown as { result: { digest: string } }).result.digest);
    expect(indexes).toHaveLength(2);
    expect(indexes[0]).toBe(indexes[1]);
    if (!isIndex(onHub)) throw new Error('expected an index');
    for (const child of onHub.manifests) {
      expect(await skopeoInspectRaw(`${authRegistry}/${base}/web@${child.digest}`, { creds })).toEqual(await skopeoInspectRaw(`${registry}/${base}/multi-arch@${child.digest}`));
    }
    await assertNoBrokenIndex(`${registry}/${base}/multi-arch`);
    await assertNoBrokenIndex(`${authRegistry}/${base}/web`, { creds });

    // Again: every tag already holds its digest — HEADs only, nothing written anywhere.
    const before = { hub: hub.log.length, priv: priv.log.length };
    const again = await multiarch(['apply', '--json'], { cwd: dir, env });
    expect(again.exitCode, again.all).toBe(0);
    expect(writes({ ...hub, log: hub.log.slice(before.hub) })).toEqual([]);
    expect(writes({ ...priv, log: priv.log.slice(before.priv) })).toEqual([]);
    expect(new Set([...ended(parseEvents(again.stdout), 'push:'), ...ended(parseEvents(again.stdout), 'index:')].map((e) => e.status))).toEqual(new Set(['cached']));
  });
});
