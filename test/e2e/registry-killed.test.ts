/**
 * A registry killed mid-apply (issue 19): `base` is pushed, then — while its index is being written
 * and `app`, built `FROM ref('base')`, has the engine pulling base from that registry — the registry
 * process dies. The run must fail naming the registry it could not reach (the build too: not "see
 * the build output above"), and the registry, started again on its storage, holds no half-published
 * index. A private `docker-registry` process is killed; a proxy in front of it holds the index PUT
 * and the engine's pull so the kill lands at that moment (waits for states, never for time), then
 * dies with it (open connections reset, new ones refused), as the registry's own port would.
 */
import { describe, expect, it } from 'vitest';
import { multiarch } from './support/cli.js';
import { testEnv } from './support/env.js';
import { startFaultProxy } from './support/fault-proxy.js';
import { makeFixture } from './support/fixtures.js';
import { assertNoBrokenIndex } from './support/integrity.js';
import { startScratchRegistry } from './support/scratch-registry.js';

describe('a registry killed while an index is written', () => {
  it('fails naming the registry, for the index and the dependent build, and leaves no broken index', async () => {
    const { baseImage } = testEnv();
    const registry = await startScratchRegistry();
    let indexHeld = false;
    let pullHeld = false;
    const proxy = await startFaultProxy({
      upstream: registry.host,
      fault: (r) => {
        if (r.method === 'PUT' && r.path.endsWith('/base/manifests/v1')) {
          indexHeld = true;
          return { kind: 'stall' };
        }
        // The engine pulling app's base (multiarch's own client says `multiarch`).
        if (!r.userAgent.startsWith('multiarch')) {
          pullHeld = true;
          return { kind: 'stall' };
        }
        return undefined;
      },
    });
    const repo = `e2e/killed-registry-${Date.now().toString(36)}`;
    const dir = makeFixture({
      'base/Dockerfile': `FROM ${baseImage}\nLABEL e2e.repo=${repo}\n`,
      'app/Dockerfile': 'ARG BASE\nFROM $BASE\nRUN echo app > /app\n',
      'multiarch.config.ts': `import { defineConfig, ref } from 'multiarch';
export default defineConfig({
  registries: { doomed: { url: '${proxy.host}', insecure: true } },
  images: {
    base: { context: './base', platforms: ['linux/amd64'], tags: ['v1'], publish: [{ registry: 'doomed', repository: '${repo}/base' }] },
    app: { context: './app', platforms: ['linux/amd64'], args: { BASE: ref('base') }, tags: ['v1'], publish: [{ registry: 'doomed', repository: '${repo}/app' }] },
  },
});
`,
    });
    const run = multiarch(['apply'], { cwd: dir, env: { MULTIARCH_HTTP_RETRIES: '1' }, timeoutMs: 600_000 });
    const deadline = Date.now() + 300_000;
    while (!(indexHeld && pullHeld)) {
      if (Date.now() > deadline) throw new Error(`never both held (index ${indexHeld}, pull ${pullHeld}):\n${(await run).all}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await registry.kill();
    await proxy.kill();
    const result = await run;

    expect(result.exitCode, result.all).toBe(1);
    // The summary names the registry, and both the index and app's build as the steps that tried.
    const at = result.stdout.indexOf('Unreachable registries (1)');
    expect(at, result.all).toBeGreaterThan(-1);
    const [head, named, ...rest] = result.stdout.slice(at).split('\n\n')[0]!.split('\n');
    expect(head).toBe('Unreachable registries (1)');
    expect(named?.trim()).toBe(`✗ ${proxy.host}`);
    const from = rest.map((l) => l.trim()).join(' ');
    expect(from).toMatch(/^not reachable from /);
    expect(from).toContain('base:v1 index → doomed');
    expect(from).toContain('app linux/amd64 build');
    expect(result.all).not.toContain('E_BUILD_FAILED');
    expect(result.all).not.toContain('see the build output above');

    // Nothing half-published: base's platform image only, no index, nothing of app.
    await registry.start();
    expect(await assertNoBrokenIndex(`${registry.host}/${repo}/base`)).toEqual({ tags: ['v1-linux-amd64'], indexes: 0 });
    expect(await assertNoBrokenIndex(`${registry.host}/${repo}/app`)).toEqual({ tags: [], indexes: 0 });
  }, 900_000);
});
