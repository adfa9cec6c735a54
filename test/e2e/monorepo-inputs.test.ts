/**
 * Inputs = what the build reads, on the real engine and registry: two services built from the
 * repository root (`context: '.'`), each Dockerfile copying its own folder and a shared library,
 * no .dockerignore, multiarch's cache in the user cache directory (out of the tree). After an
 * apply nothing is stale; a README edit changes nothing; an edit in one service rebuilds and
 * republishes only it (the other's index digest, read from the registry, is unchanged); an edit in
 * the shared library rebuilds both.
 */
import { appendFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multiarch, parseEvents, type CliRun } from './support/cli.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';

const stamp = Date.now();
const repo = (name: string) => `inputs14-monorepo-${name}-${stamp}`;
let dir: string;
let cacheHome: string;

beforeAll(() => {
  const { registry, baseImage } = testEnv();
  cacheHome = mkdtempSync(path.join(os.tmpdir(), 'inputs14-xdg-'));
  const service = (name: string) => `FROM ${baseImage}\nCOPY services/${name} /app\nCOPY libs/common /lib\n`;
  const image = (name: string) => `    ${name}: {
      context: '.',
      dockerfile: 'services/${name}/Dockerfile',
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: ['v1'],
      publish: [{ registry: 'local', repository: '${repo(name)}' }],
    },`;
  dir = makeFixture({
    'README.md': 'monorepo\n',
    'services/api/Dockerfile': service('api'),
    'services/api/main.txt': 'api v1\n',
    'services/worker/Dockerfile': service('worker'),
    'services/worker/main.txt': 'worker v1\n',
    'libs/common/lib.txt': 'common v1\n',
    'multiarch.config.ts': `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { local: { url: '${registry}', insecure: true } },
  images: {
${image('api')}
${image('worker')}
  },
});
`,
  });
});

afterAll(() => {
  if (cacheHome) rmSync(cacheHome, { recursive: true, force: true });
});

const run = (args: string[]) => multiarch(args, { cwd: dir, env: { XDG_CACHE_HOME: cacheHome } });

function ran(r: CliRun, id: string): boolean {
  return parseEvents(r.stdout).some((e) => e.type === 'node:output' && e.id === id);
}

/** The index digest the registry serves for `<repo>:v1`. */
async function indexDigest(name: string): Promise<string> {
  const res = await fetch(`http://${testEnv().registry}/v2/${repo(name)}/manifests/v1`, {
    method: 'HEAD',
    headers: { accept: 'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json' },
  });
  expect(res.status).toBe(200);
  return res.headers.get('docker-content-digest')!;
}

async function applyBuilt(): Promise<Record<string, boolean>> {
  const r = await run(['apply', '--json']);
  expect(r.exitCode, r.all).toBe(0);
  return Object.fromEntries(['api', 'worker'].flatMap((n) => ['linux/amd64', 'linux/arm64'].map((p) => [`${n} ${p}`, ran(r, `build:${n}@${p}`)])));
}

describe('monorepo: inputs are the files each build reads', () => {
  it('applies; then nothing is stale, though the context holds no .dockerignore and the cache lives out of the tree', async () => {
    expect(Object.values(await applyBuilt())).toEqual([true, true, true, true]);
    expect(existsSync(path.join(dir, '.multiarch'))).toBe(false);
    expect(existsSync(path.join(cacheHome, 'multiarch'))).toBe(true);
    const plan = await run(['plan', '--detailed-exitcode']);
    expect(plan.exitCode, plan.all).toBe(0);
  });

  it('an edit of a file no build reads (README) changes nothing', async () => {
    appendFileSync(path.join(dir, 'README.md'), 'more\n');
    const plan = await run(['plan', '--detailed-exitcode']);
    expect(plan.exitCode, plan.all).toBe(0);
  });

  it('an edit in services/api rebuilds and republishes only api, naming the file', async () => {
    const [api, worker] = [await indexDigest('api'), await indexDigest('worker')];
    appendFileSync(path.join(dir, 'services/api/main.txt'), 'api v2\n');
    const plan = await run(['plan', '--detailed-exitcode']);
    expect(plan.exitCode, plan.all).toBe(2);
    expect(plan.stdout).toContain('files: modified services/api/main.txt');
    expect(await applyBuilt()).toEqual({ 'api linux/amd64': true, 'api linux/arm64': true, 'worker linux/amd64': false, 'worker linux/arm64': false });
    expect(await indexDigest('worker')).toBe(worker);
    expect(await indexDigest('api')).not.toBe(api);
    expect((await run(['plan', '--detailed-exitcode'])).exitCode).toBe(0);
  });

  it('an edit in libs/common rebuilds both', async () => {
    const [api, worker] = [await indexDigest('api'), await indexDigest('worker')];
    appendFileSync(path.join(dir, 'libs/common/lib.txt'), 'common v2\n');
    expect(Object.values(await applyBuilt())).toEqual([true, true, true, true]);
    expect(await indexDigest('worker')).not.toBe(worker);
    expect(await indexDigest('api')).not.toBe(api);
  });
});
