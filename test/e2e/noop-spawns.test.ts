/**
 * Issue 14 item 4, "a no-op starts nothing": with PATH led by a shim directory whose `docker` and
 * `git` append their argv to a log and exec the real binary, a second apply of an unchanged
 * fixture (in a git repository, so its OCI labels come from git) logs no call at all; a run that
 * builds logs docker calls, so the shim provably sees what multiarch starts.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { multiarch } from './support/cli.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';
import { makeSpawnShim, type SpawnShim } from './support/spawn-shim.js';

const stamp = Date.now();
let dir: string;
let shim: SpawnShim;

/** The docker on PATH multiarch would build with (buildx, else a pre-23 client, else the first). */
async function builderDocker(): Promise<string> {
  const all = [...new Set((await execa('sh', ['-c', 'which -a docker'])).stdout.split('\n').filter(Boolean))];
  const facts = await Promise.all(
    all.map(async (binary) => {
      const buildx = (await execa(binary, ['buildx', 'version'], { reject: false })).exitCode === 0;
      const major = Number((await execa(binary, ['version', '--format', '{{.Client.Version}}'], { reject: false })).stdout.split('.')[0]);
      return { binary, buildx, major };
    }),
  );
  return (facts.find((f) => f.buildx) ?? facts.find((f) => f.major < 23) ?? facts[0]!).binary;
}

const calls = () => shim.calls();
const shimmed = () => shim.env();

beforeAll(async () => {
  const { registry, baseImage } = testEnv();
  // Outside the project's checkout: this fixture is its own repository, its facts its own.
  dir = makeFixture(
    {
      'app/Dockerfile': `FROM ${baseImage}\nCOPY hello.txt /hello.txt\nRUN cat /hello.txt > /copied\n`,
      'app/hello.txt': 'hello\n',
      'multiarch.config.ts': `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { local: { url: '${registry}', insecure: true } },
  images: {
    app: {
      context: './app',
      platforms: ['linux/amd64'],
      tags: ['v1'],
      publish: [{ registry: 'local', repository: 'e2e/lazy-noop-spawns-${stamp}' }],
    },
  },
});
`,
    },
    { parent: path.join(os.tmpdir(), 'multiarch-lazy-e2e'), prefix: 'noop-' },
  );
  const git = (...args: string[]) => execa('git', ['-c', 'user.email=e2e@example.com', '-c', 'user.name=e2e', ...args], { cwd: dir });
  await git('init', '-q');
  await git('remote', 'add', 'origin', 'https://github.com/example/lazy-noop.git');
  await git('add', '.');
  await git('commit', '-q', '-m', 'fixture');
  shim = makeSpawnShim();
  await shim.add('docker', await builderDocker());
  await shim.add('git');
  // The first apply goes through the shim too: a docker binary multiarch has not seen is probed
  // once (client-memo.ts), and the shim is such a binary. It builds, so the log shows docker.
  const first = await multiarch(['apply'], { cwd: dir, env: shimmed() });
  expect(first.exitCode, first.all).toBe(0);
  expect(calls().some((c) => c.startsWith('docker '))).toBe(true);
  shim.clear();
}, 600_000);

describe('a no-op apply', () => {
  it('starts no docker and no git process, and plan neither', async () => {
    const apply = await multiarch(['apply'], { cwd: dir, env: shimmed() });
    expect(apply.exitCode, apply.all).toBe(0);
    const plan = await multiarch(['plan'], { cwd: dir, env: shimmed() });
    expect(plan.exitCode, plan.all).toBe(0);
    expect(calls()).toEqual([]);
  }, 300_000);

  it('a run that builds goes through the shim (it would see a spawn)', async () => {
    writeFileSync(path.join(dir, 'app/hello.txt'), 'hello again\n');
    const apply = await multiarch(['apply'], { cwd: dir, env: shimmed() });
    expect(apply.exitCode, apply.all).toBe(0);
    expect(calls().some((c) => c.startsWith('docker ')), `${apply.all}\n${calls().join('\n')}`).toBe(true);
  }, 600_000);
});
