/**
 * Issue 14 ("a no-op starts nothing", cold path) and 18 ("it needs no Docker engine at all"): a
 * config whose images are all RUN-less is assembled directly, so on a fresh runner — an empty
 * cache directory, no client memo — apply starts no docker process at all (not even to probe the
 * client) and succeeds with DOCKER_HOST pointing nowhere; its second plan is up to date, and a
 * saved plan of it applies the same way. PATH is the shim directory alone, so any docker
 * multiarch could find is a shim and would be logged; the control — plan of an image with a RUN on
 * an empty cache directory — logs the probes.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { multiarch, parseEvents } from './support/cli.js';
import { testEnv } from './support/env.js';
import { imageFixture } from './support/config-fixture.js';
import { makeSpawnShim, type SpawnShim } from './support/spawn-shim.js';

const stamp = Date.now();
const nowhere = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
let shim: SpawnShim;

function project(name: string, dockerfile: string): string {
  const { registry, baseImage } = testEnv();
  return imageFixture({
    registry,
    repository: `e2e/direct-spawns-${name}-${stamp}`,
    context: { Dockerfile: `FROM ${baseImage}\n${dockerfile}`, 'hello.txt': `hello ${stamp}\n` },
  });
}

beforeAll(async () => {
  shim = makeSpawnShim();
  await shim.add('docker');
  await shim.add('git');
});

describe('a config whose images are all assembled directly', () => {
  it('applies on an empty cache directory with no engine reachable, starting no docker process', async () => {
    const dir = project('direct', 'COPY hello.txt /hello.txt\n');
    const env = { ...shim.isolatedEnv(), ...nowhere, MULTIARCH_CACHE_DIR: path.join(dir, '.cache') };
    shim.clear();
    const apply = await multiarch(['apply', '--json'], { cwd: dir, env });
    expect(apply.exitCode, apply.all).toBe(0);
    const builds = parseEvents(apply.stdout).filter((e) => e.type === 'node:end' && String(e.id).startsWith('build:'));
    expect(builds.map((e) => e.status)).toEqual(['succeeded', 'succeeded']);
    expect(shim.calls().filter((c) => c.startsWith('docker '))).toEqual([]);
    // Its inputs were recorded without asking docker which builder it has: the next plan (another
    // empty cache directory, a fresh runner again) finds them current.
    const plan = await multiarch(['plan'], { cwd: dir, env: { ...env, MULTIARCH_CACHE_DIR: path.join(dir, '.cache2') } });
    expect(plan.exitCode, plan.all).toBe(0);
    expect(plan.stdout).toContain('Plan: 0 to build');
    expect(plan.stdout).not.toContain('Builder:');
    expect(shim.calls().filter((c) => c.startsWith('docker '))).toEqual([]);
  }, 300_000);

  it('plan --out and apply plan.json on empty cache directories start no docker process either', async () => {
    const dir = project('saved', 'COPY hello.txt /hello.txt\n');
    const env = { ...shim.isolatedEnv(), ...nowhere };
    shim.clear();
    const plan = await multiarch(['plan', '--out', 'plan.json'], { cwd: dir, env: { ...env, MULTIARCH_CACHE_DIR: path.join(dir, '.cache') } });
    expect(plan.exitCode, plan.all).toBe(0);
    const apply = await multiarch(['apply', 'plan.json'], { cwd: dir, env: { ...env, MULTIARCH_CACHE_DIR: path.join(dir, '.cache2') } });
    expect(apply.exitCode, apply.all).toBe(0);
    expect(apply.all).toMatch(/3 refs written/);
    expect(shim.calls().filter((c) => c.startsWith('docker '))).toEqual([]);
  }, 300_000);

  it('control: an image with a RUN on an empty cache directory probes docker through the shim', async () => {
    const dir = project('engine', 'RUN true\n');
    shim.clear();
    const plan = await multiarch(['plan'], { cwd: dir, env: { ...shim.isolatedEnv(), ...nowhere, MULTIARCH_CACHE_DIR: path.join(dir, '.cache') } });
    expect(plan.exitCode, plan.all).toBe(0);
    expect(plan.all).toContain('apply needs a running Docker engine');
    expect(shim.calls().filter((c) => c.startsWith('docker version')).length).toBeGreaterThan(0);
  }, 300_000);
});
