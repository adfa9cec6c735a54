/**
 * Publishing through real faults: a loopback proxy between multiarch and the real registry drops
 * connections mid-upload, answers 500/503 and 429 with Retry-After, stalls, asks for chunked
 * uploads, and refuses to move immutable tags like ECR. Each apply succeeds within its retry
 * budget or fails cleanly — and afterwards no tag points at an index with a missing child.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { multiarch, parseEvents } from './support/cli.js';
import { testEnv } from './support/env.js';
import { onNth, startFaultProxy, uploadsByDigest, type FaultProxy, type FaultRequest, type ProxyOptions } from './support/fault-proxy.js';
import { makeFixture } from './support/fixtures.js';
import { assertNoBrokenIndex } from './support/integrity.js';
import { listTags } from './support/registry.js';

/** Incompressible, so its layer is as big as it is (~300 KiB): uploads take several chunks. */
const PAYLOAD = randomBytes(300 * 1024);
const cache = mkdtempSync(path.join(os.tmpdir(), 'multiarch-faults-cache-'));
const proxies: FaultProxy[] = [];
afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  rmSync(cache, { recursive: true, force: true });
});

async function proxy(options: Omit<ProxyOptions, 'upstream'> = {}): Promise<FaultProxy> {
  const p = await startFaultProxy({ upstream: testEnv().registry, ...options });
  proxies.push(p);
  return p;
}

function project(registry: string, repo: string, stamp = 'a', publish = `{ registry: 'flaky', repository: '${repo}' }`): string {
  const { baseImage } = testEnv();
  return makeFixture({
    'app/Dockerfile': `FROM ${baseImage}\nARG STAMP\nLABEL e2e.stamp=$STAMP\nCOPY payload.bin /payload.bin\n`,
    'app/payload.bin': PAYLOAD,
    'multiarch.config.ts': `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { flaky: { url: '${registry}', insecure: true } },
  images: {
    app: {
      context: './app',
      platforms: ['linux/amd64', 'linux/arm64'],
      args: { STAMP: '${stamp}' },
      tags: ['v1'],
      publish: [${publish}],
    },
  },
});
`,
  });
}

async function apply(dir: string, env: Record<string, string> = {}) {
  const run = await multiarch(['apply', '--json'], { cwd: dir, env: { MULTIARCH_CACHE_DIR: cache, MULTIARCH_HTTP_TIMEOUT: '2', ...env } });
  return { ...run, events: parseEvents(run.stdout) };
}

const repoName = (what: string) => `e2e/faults-${what}-${Date.now()}`;
const blobUpload = (r: FaultRequest) => /\/blobs\/uploads\/./.test(r.path) && (r.method === 'PUT' || r.method === 'PATCH');
const tagPut = (tag: string) => (r: Pick<FaultRequest, 'method' | 'path'>) => r.method === 'PUT' && r.path.endsWith(`/manifests/${tag}`);

/** The registry side after a scenario: the invariant, and what is there. */
async function registryState(repo: string) {
  return assertNoBrokenIndex(`${testEnv().registry}/${repo}`);
}

describe('publishing through faults', () => {
  it('survives connections dropped mid-upload: each broken upload starts a new session', async () => {
    const repo = repoName('drop');
    const p = await proxy({ fault: onNth((r) => blobUpload(r) && r.contentLength > 100_000, [1, 2], { kind: 'drop', afterBytes: 64 * 1024 }) });
    const run = await apply(project(p.host, repo));
    expect(run.exitCode, run.all).toBe(0);
    expect(p.log.filter((e) => e.fault?.startsWith('dropped'))).toHaveLength(2);
    // Every blob completed exactly once despite the drops.
    expect([...uploadsByDigest(p.log).values()].every((n) => n === 1)).toBe(true);
    expect(await registryState(repo)).toEqual({ tags: ['v1', 'v1-linux-amd64', 'v1-linux-arm64'], indexes: 1 });
  });

  it('retries 500s and 503s, and waits out 429 Retry-After', async () => {
    const repo = repoName('5xx');
    const rules = [
      onNth((r) => r.method === 'HEAD' && r.path.includes('/blobs/'), [1], { kind: 'status', status: 500 }),
      onNth((r) => r.method === 'POST', [1], { kind: 'status', status: 503 }),
      onNth((r) => r.method === 'PUT' && r.path.includes('/manifests/'), [1, 2], {
        kind: 'status',
        status: 429,
        headers: { 'retry-after': '1', 'ratelimit-remaining': '0;w=21600' },
        body: '{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}',
      }),
    ];
    const p = await proxy({ fault: (r) => rules.map((rule) => rule(r)).find(Boolean) });
    const run = await apply(project(p.host, repo));
    expect(run.exitCode, run.all).toBe(0);
    const limited = p.log.filter((e) => e.status === 429);
    expect(limited).toHaveLength(2);
    // The retry of a 429 came after its Retry-After second.
    const after = p.log.find((e) => e.at > limited[0]!.at && e.method === 'PUT' && e.path === p.log[p.log.indexOf(limited[0]!)]!.path && !e.fault);
    expect(after!.at - limited[0]!.at).toBeGreaterThanOrEqual(900);
    expect(p.log.filter((e) => e.status === 500 || e.status === 503)).toHaveLength(2);
    expect(await registryState(repo)).toMatchObject({ indexes: 1 });
  });

  it('gives up on a stalled request after the idle timeout and tries again', async () => {
    const repo = repoName('stall');
    const p = await proxy({ fault: onNth(tagPut('v1'), [1], { kind: 'stall' }) });
    const run = await apply(project(p.host, repo));
    expect(run.exitCode, run.all).toBe(0);
    expect(p.log.filter((e) => e.fault === 'stalled')).toHaveLength(1);
    expect(p.log.filter((e) => tagPut('v1')(e) && e.status === 201)).toHaveLength(1);
    expect(await registryState(repo)).toMatchObject({ indexes: 1 });
  });

  it('uploads in chunks when the registry asks for them, resuming a chunk cut mid-way', async () => {
    const repo = repoName('chunks');
    const p = await proxy({
      sessionHeaders: { 'OCI-Chunk-Min-Length': String(64 * 1024) },
      fault: onNth((r) => r.method === 'PATCH' && r.contentLength > 100_000, [2], { kind: 'drop', afterBytes: 10_000 }),
    });
    const run = await apply(project(p.host, repo), { MULTIARCH_UPLOAD_CHUNK_SIZE: String(128 * 1024) });
    expect(run.exitCode, run.all).toBe(0);
    const patches = p.log.filter((e) => e.method === 'PATCH' && e.status === 202);
    // The 300 KiB layer (stored once, the two platforms share it) in 128 KiB chunks: 3 PATCHes, plus the small ones.
    expect(patches.length).toBeGreaterThanOrEqual(3);
    expect(p.log.filter((e) => e.fault?.startsWith('dropped'))).toHaveLength(1);
    // After the cut, multiarch asked the registry where that session stood; distribution cannot
    // resume a chunk it got part of (404), so the blob started over in a new session.
    const cut = p.log.find((e) => e.fault?.startsWith('dropped'))!;
    const status = p.log.find((e) => e.method === 'GET' && e.path === cut.path);
    expect(status?.status).toBe(404);
    expect([...uploadsByDigest(p.log).values()].every((n) => n === 1)).toBe(true);
    expect(await registryState(repo)).toMatchObject({ indexes: 1 });
  });

  it('falls back to an upload when a cross-repository mount is declined (202, as ECR answers)', async () => {
    const repo = repoName('mount');
    const p = await proxy({ declineMounts: true });
    // The Docker Hub layout: per-arch repositories, and the index repository needs their blobs too.
    const publish = `{ registry: 'flaky', repository: '${repo}/multi-arch', platformRepository: '${repo}/web-{arch}', platformTag: '{tag}' }`;
    const run = await apply(project(p.host, repo, 'a', publish));
    expect(run.exitCode, run.all).toBe(0);
    const declined = p.log.filter((e) => e.method === 'POST' && e.query.has('mount'));
    expect(declined.length).toBeGreaterThan(0);
    expect(declined.every((e) => e.status === 202)).toBe(true);
    expect(declined.some((e) => e.path === `/v2/${repo}/multi-arch/blobs/uploads/`)).toBe(true);
    // Each declined mount's session is given back, and that blob is uploaded into that repository.
    expect(p.log.filter((e) => e.method === 'DELETE' && e.status === 204)).toHaveLength(declined.length);
    for (const mount of declined) {
      const uploaded = p.log.some((e) => e.method === 'PUT' && e.status === 201 && e.path.startsWith(mount.path) && e.query.get('digest') === mount.query.get('mount'));
      expect(uploaded, `${mount.query.get('mount')} into ${mount.path}`).toBe(true);
    }
    expect(await assertNoBrokenIndex(`${testEnv().registry}/${repo}/multi-arch`)).toEqual({ tags: ['v1'], indexes: 1 });
  });

  it('fails cleanly when the registry keeps failing: exit 1, why, and no tag on a broken index', async () => {
    const repo = repoName('down');
    const p = await proxy({ fault: (r) => (tagPut('v1')(r) ? { kind: 'status', status: 500 } : undefined) });
    const run = await apply(project(p.host, repo), { MULTIARCH_HTTP_RETRIES: '2' });
    expect(run.exitCode).toBe(1);
    const failed = run.events.find((e) => e.type === 'node:end' && e.status === 'failed') as { id: string; error: { code: string; message: string } } | undefined;
    expect(failed?.id).toBe('index:app:v1->flaky');
    expect(failed?.error).toMatchObject({ code: 'E_REGISTRY', message: expect.stringContaining('HTTP 500') });
    const state = await registryState(repo);
    expect(state.tags).toEqual(['v1-linux-amd64', 'v1-linux-arm64']);
  });

  it('is a no-op on tags that hold the same digest, and refuses to move an immutable tag', async () => {
    const repo = repoName('immutable');
    const { registry } = testEnv();
    const first = await apply(project(registry, repo, 'a'));
    expect(first.exitCode, first.all).toBe(0);
    const p = await proxy({ immutableTags: true });

    const again = await apply(project(p.host, repo, 'a'));
    expect(again.exitCode, again.all).toBe(0);
    // Same digests: HEADs only — no upload, no manifest PUT at all.
    expect(p.log.filter((e) => e.method !== 'HEAD' && e.method !== 'GET')).toEqual([]);
    expect(again.events.filter((e) => e.type === 'node:end' && String(e.id).startsWith('push:')).map((e) => e.status)).toEqual(['cached', 'cached']);

    const changed = await apply(project(p.host, repo, 'b'));
    expect(changed.exitCode).toBe(1);
    const errors = changed.events.filter((e) => e.type === 'node:end' && e.status === 'failed').map((e) => (e as unknown as { error: { code: string; message: string } }).error);
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      expect(error.code).toBe('E_TAG_IMMUTABLE');
      expect(error.message).toMatch(new RegExp(`^tag ${p.host}/${repo}:v1-linux-(amd64|arm64) holds sha256:[a-f0-9]{64}, this apply would write sha256:[a-f0-9]{64}$`));
    }
    expect(await listTags(`${registry}/${repo}`)).toEqual(['v1', 'v1-linux-amd64', 'v1-linux-arm64']);
    expect(await registryState(repo)).toMatchObject({ indexes: 1 });
  });
});
