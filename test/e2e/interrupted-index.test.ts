/**
 * Ctrl-C just after an index went in (issue 19): the registry holds the tag, the run was stopped
 * before it read it back (or before it even heard the PUT's answer). `run:end.published` and the
 * summary must still list that index, marked interrupted — they report what the registry holds.
 * A fault proxy in front of the real registry forwards the index's tag PUT and then holds the
 * read-back (or the PUT's answer); the test waits for that state, never for time, then sends SIGINT.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { parseEvents, startMultiarch } from './support/cli.js';
import { imageFixture } from './support/config-fixture.js';
import { testEnv } from './support/env.js';
import { startFaultProxy, type FaultProxy, type FaultRequest, type ProxyOptions } from './support/fault-proxy.js';

const proxies: FaultProxy[] = [];
afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
});

const INDEX_TAG = 'v1';
const isTagPut = (r: Pick<FaultRequest, 'method' | 'path'>) => r.method === 'PUT' && r.path.endsWith(`/manifests/${INDEX_TAG}`);
const isTagGet = (r: Pick<FaultRequest, 'method' | 'path'>) => r.method === 'GET' && r.path.endsWith(`/manifests/${INDEX_TAG}`);

/** Applies through a proxy, waits until it holds the request `held` names, then interrupts. */
async function interruptAt(fault: ProxyOptions['fault'], held: string, json: boolean) {
  const { registry, baseImage } = testEnv();
  const p = await startFaultProxy({ upstream: registry, fault });
  proxies.push(p);
  // Short: the summary lists a ref on one row only while it fits.
  const repo = `e2e/ii-${held}-${Date.now().toString(36)}`;
  const dir = imageFixture({
    registry: p.host,
    repository: repo,
    platforms: ['linux/amd64'],
    context: { Dockerfile: `FROM ${baseImage}\nLABEL e2e.repo=${repo}\n` },
  });
  const child = startMultiarch(['apply', ...(json ? ['--json'] : [])], { cwd: dir, timeoutMs: 600_000 });
  const deadline = Date.now() + 300_000;
  while (!p.log.some((e) => e.fault === held)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the proxy never ${held} a request:\n${p.log.map((e) => `${e.method} ${e.path} ${e.status}`).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGINT');
  const run = await child;
  const digest = await tagDigest(registry, repo);
  return { run, ref: `${p.host}/${repo}:${INDEX_TAG}`, digest, proxy: p };
}

/** What the registry's tag holds (a HEAD straight to it, not through the proxy). */
async function tagDigest(registry: string, repo: string): Promise<string | null> {
  const res = await fetch(`http://${registry}/v2/${repo}/manifests/${INDEX_TAG}`, {
    method: 'HEAD',
    headers: { accept: 'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json' },
  });
  return res.status === 200 ? res.headers.get('docker-content-digest') : null;
}

describe('Ctrl-C right after an index was written', () => {
  it('lists it in run:end.published, marked interrupted, when the read-back was canceled', async () => {
    let put = false;
    const { run, ref, digest, proxy } = await interruptAt(
      (r) => {
        if (isTagPut(r)) put = true;
        // The read-back is the tag's first GET after its PUT.
        return put && isTagGet(r) ? { kind: 'stall' } : undefined;
      },
      'stalled',
      true,
    );
    expect(run.exitCode, run.all).toBe(130);
    expect(proxy.log.filter((e) => isTagPut(e) && e.status === 201)).toHaveLength(1);
    expect(digest).toMatch(/^sha256:/);
    const end = parseEvents(run.stdout).find((e) => e.type === 'run:end') as { summary: { status: string; published: unknown[] } } | undefined;
    expect(end?.summary.status).toBe('canceled');
    expect(end?.summary.published).toContainEqual({ ref, digest, kind: 'index', interrupted: true });
  }, 600_000);

  it('lists it in the summary when the PUT went in but its answer never came', async () => {
    const { run, ref, digest } = await interruptAt((r) => (isTagPut(r) ? { kind: 'hold' } : undefined), 'held', false);
    expect(run.exitCode, run.all).toBe(130);
    expect(digest).toMatch(/^sha256:/);
    // The plain summary: the ref, its digest, and that it was not verified.
    const lines = run.stdout.split('\n');
    const at = lines.findIndex((l) => l.trim().startsWith(`${ref} `));
    expect(at, run.stdout).toBeGreaterThan(-1);
    expect(lines[at]).toContain(digest!.slice('sha256:'.length, 'sha256:'.length + 12));
    expect(lines.slice(at, at + 3).join('\n')).toContain('interrupted before it was read back and verified');
  }, 600_000);
});
