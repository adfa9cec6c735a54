/** The prepare step for real: zx in the context directory, logged, failing, canceled. Spawns processes. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeFunction } from '../../../src/config/prepare.js';
import type { PrepareFn } from '../../../src/prepare/context.js';
import { isMultiarchError } from '../../../src/errors/multiarch-error.js';
import type { StepContext } from '../../../src/exec/execute.js';
import { runPrepare, type PrepareDeps } from '../../../src/exec/steps/prepare.js';
import type { PrepareNode } from '../../../src/plan/nodes.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup(run: PrepareFn, outputs: string[] = [], planned: PrepareFn = run) {
  const context = mkdtempSync(path.join(os.tmpdir(), 'multiarch-prepare-'));
  dirs.push(context);
  const node: PrepareNode = {
    id: 'prepare:app@linux/arm/v7',
    kind: 'prepare',
    image: 'app',
    deps: [],
    platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
    context,
    source: describeFunction(planned),
    outputs,
    action: { type: 'run' },
  };
  const services: PrepareDeps = { prepares: () => ({ run, outputs, source: describeFunction(run) }) };
  const lines: string[] = [];
  const controller = new AbortController();
  const ctx: StepContext = {
    signal: controller.signal,
    outputOf: () => {
      throw new Error('no deps');
    },
    progress: () => {},
    wrote: () => {},
    log: (line, stream = 'stdout') => lines.push(`${stream}: ${line}`),
  };
  return { node, services, ctx, lines, controller, context };
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isMultiarchError(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('runPrepare', () => {
  it('runs zx in the context with the platform, logs every line, and lists the declared outputs', async () => {
    const s = setup(
      async ({ $, platform }) => {
        await $`mkdir -p dist/${platform.arch}${platform.variant} && echo ${platform.platform} > dist/${platform.arch}${platform.variant}/app && echo built ${platform.os}/${platform.arch}; echo warn >&2`;
      },
      ['dist/**'],
    );
    const result = await runPrepare(s.services, s.node, s.ctx);
    expect(readFileSync(path.join(s.context, 'dist/armv7/app'), 'utf8')).toBe('linux/arm/v7\n');
    expect(s.lines).toEqual(expect.arrayContaining(['stdout: built linux/arm', 'stderr: warn']));
    expect(s.lines[0]).toMatch(/^stdout: \$ mkdir -p dist\/armv7/);
    expect(result.output?.files).toEqual([{ path: 'dist/armv7/app', size: 13, digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) }]);
    expect(result.output?.digest).toMatch(/^sha256:/);
  });

  it('fails with the command’s exit and its last lines', async () => {
    const s = setup(async ({ $ }) => {
      await $`echo compiling; echo 'cc: error: no such file' >&2; exit 3`;
    });
    const error = await failure(runPrepare(s.services, s.node, s.ctx));
    expect(error.code).toBe('E_PREPARE_FAILED');
    expect(error.message).toMatch(/^the prepare step of app failed for linux\/arm\/v7: /);
    expect(error.details).toEqual(expect.arrayContaining(['compiling', 'cc: error: no such file']));
  });

  it('fails when the declared outputs did not appear', async () => {
    const s = setup(async () => {}, ['dist/**']);
    const error = await failure(runPrepare(s.services, s.node, s.ctx));
    expect(error.code).toBe('E_PREPARE_FAILED');
    expect(error.message).toBe('the prepare step of app wrote nothing matching dist/** for linux/arm/v7');
  });

  it('refuses a function that changed since the plan was made', async () => {
    const s = setup(async () => {}, [], async () => { await Promise.resolve(); });
    const error = await failure(runPrepare(s.services, s.node, s.ctx));
    expect(error.code).toBe('E_PLAN_STALE');
  });

  it('kills everything the command started when the run is canceled', async () => {
    const marker = `${30 + Math.random()}`.slice(0, 8);
    const s = setup(async ({ $ }) => {
      await $`(sleep ${marker}; echo late > late.txt) & sleep ${marker}`;
    });
    const running = runPrepare(s.services, s.node, s.ctx);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(pids(marker).length).toBeGreaterThan(0);
    s.controller.abort();
    const error = await failure(running);
    expect(error.code).toBe('E_CANCELED');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(pids(marker)).toEqual([]);
    expect(existsSync(path.join(s.context, 'late.txt'))).toBe(false);
  });
});

function pids(marker: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', `sleep ${marker}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return [];
  }
}
