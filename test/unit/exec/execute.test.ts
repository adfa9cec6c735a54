import { describe, expect, it } from 'vitest';
import { MultiarchError } from '../../../src/errors/multiarch-error.js';
import type { ExecEvent, NodeEndEvent } from '../../../src/exec/events.js';
import { execute, type StepResult } from '../../../src/exec/execute.js';
import { nodeRefs } from '../../../src/plan/describe-node.js';
import type { Plan, PlanNode } from '../../../src/plan/nodes.js';
import { localConfig, plan } from '../plan/fixtures.js';
import { chain, controlledSteps, flush, recorder, table, wide } from './harness.js';

/** Steps that succeed at once (unless listed in `fail`), returning an output and, for pushes and indexes, refs + digest. */
function instantSteps(fail: Record<string, unknown> = {}) {
  return table(async (node) => {
    if (node.id in fail) throw fail[node.id];
    const digest = `sha256:${node.id}`;
    const refs = nodeRefs(node);
    return { output: { digest }, ...(refs.length ? { info: { refs, digest } } : {}) };
  });
}

const ends = (events: ExecEvent[]) => events.filter((e): e is NodeEndEvent => e.type === 'node:end');

describe('execute: events', () => {
  it('emits run:start first, then each node start before its end, and run:end last', async () => {
    const p = chain();
    const h = controlledSteps();
    const r = recorder();
    const done = execute(p, { steps: h.steps, emit: r.emit, concurrency: 4 });
    await flush();
    for (const id of p.order) await h.finish(id);
    const summary = await done;
    expect(r.types()).toEqual([
      'run:start',
      'node:start build:app@linux/amd64',
      'node:end build:app@linux/amd64',
      'node:start test:app@linux/amd64',
      'node:end test:app@linux/amd64',
      'node:start push:app@linux/amd64->local',
      'node:end push:app@linux/amd64->local',
      'node:start index:app:v1->local',
      'node:end index:app:v1->local',
      'run:end',
    ]);
    expect(r.events[0]).toEqual({
      type: 'run:start',
      at: expect.any(Number),
      configFile: '/abs/dir/multiarch.config.ts',
      nodes: [
        { id: 'build:app@linux/amd64', kind: 'build', image: 'app', label: 'app linux/amd64 build', deps: [] },
        { id: 'test:app@linux/amd64', kind: 'test', image: 'app', label: 'app linux/amd64 test', deps: ['build:app@linux/amd64'] },
        { id: 'push:app@linux/amd64->local', kind: 'push', image: 'app', label: 'app linux/amd64 push → local', deps: ['test:app@linux/amd64'] },
        { id: 'index:app:v1->local', kind: 'index', image: 'app', label: 'app:v1 index → local', deps: ['push:app@linux/amd64->local'] },
      ],
    });
    expect(r.events.at(-1)).toEqual({ type: 'run:end', at: expect.any(Number), summary });
    expect(summary.status).toBe('succeeded');
    expect(summary.nodes.map((n) => [n.id, n.status])).toEqual(p.order.map((id) => [id, 'succeeded']));
  });

  it('never starts a node before its dependencies have ended, on a bigger graph', async () => {
    const p = plan(localConfig({ web: { tags: ['v1', 'latest'] } }));
    const r = recorder();
    await execute(p, { steps: instantSteps(), emit: r.emit, concurrency: 3 });
    const ended = new Set<string>();
    for (const e of r.events) {
      if (e.type === 'node:start') for (const dep of p.nodes[e.id]!.deps) expect(ended.has(dep), `${dep} ended before ${e.id} started`).toBe(true);
      if (e.type === 'node:end') ended.add(e.id);
    }
    expect(ended.size).toBe(p.order.length);
    expect(r.events.filter((e) => e.type === 'run:start' || e.type === 'run:end')).toHaveLength(2);
  });

  it('reports progress and output lines from a running step, with its id', async () => {
    const p = chain();
    const r = recorder();
    let clock = 1000;
    await execute(p, {
      steps: table(async (node, ctx) => {
        ctx.progress('[1/2] FROM alpine', 1, 2);
        ctx.progress('waiting');
        ctx.log('hello');
        ctx.log('oops', 'stderr');
        clock += 250;
        return { output: node.id };
      }),
      emit: r.emit,
      concurrency: 1,
      now: () => clock,
    });
    const id = 'build:app@linux/amd64';
    const mine = r.events.filter((e) => 'id' in e && e.id === id);
    expect(mine).toEqual([
      { type: 'node:start', at: 1000, id },
      { type: 'node:progress', at: 1000, id, message: '[1/2] FROM alpine', current: 1, total: 2 },
      { type: 'node:progress', at: 1000, id, message: 'waiting' },
      { type: 'node:output', at: 1000, id, stream: 'stdout', line: 'hello' },
      { type: 'node:output', at: 1000, id, stream: 'stderr', line: 'oops' },
      { type: 'node:end', at: 1250, id, status: 'succeeded', durationMs: 250 },
    ]);
    expect(r.events.at(-1)).toMatchObject({ type: 'run:end', at: 2000, summary: { durationMs: 1000 } });
  });
});

describe('execute: concurrency', () => {
  it('runs independent nodes in parallel up to the concurrency', async () => {
    const p = wide();
    const h = controlledSteps();
    const done = execute(p, { steps: h.steps, emit: () => {}, concurrency: 2 });
    await flush();
    expect(h.running()).toEqual(['build:app@linux/amd64', 'build:app@linux/arm64']);
    // The first free slot goes to the earliest ready node in plan order: the test of the finished build.
    await h.finish('build:app@linux/amd64');
    expect(h.running()).toEqual(['build:app@linux/arm64', 'test:app@linux/amd64']);
    await h.finish('build:app@linux/arm64');
    expect(h.running()).toEqual(['test:app@linux/amd64', 'test:app@linux/arm64']);
    await h.finish('test:app@linux/arm64');
    expect(h.running()).toEqual(['test:app@linux/amd64', 'build:app@linux/arm/v7']);
    for (const id of ['test:app@linux/amd64', 'build:app@linux/arm/v7', 'test:app@linux/arm/v7']) await h.finish(id);
    expect((await done).status).toBe('succeeded');
    expect(h.maxRunning()).toBe(2);
  });

  it('starts every ready node at once when the concurrency allows', async () => {
    const h = controlledSteps();
    const done = execute(wide(), { steps: h.steps, emit: () => {}, concurrency: 10 });
    await flush();
    expect(h.running()).toEqual(['build:app@linux/amd64', 'build:app@linux/arm64', 'build:app@linux/arm/v7']);
    for (const id of [...h.running()]) await h.finish(id);
    expect(h.running()).toEqual(['test:app@linux/amd64', 'test:app@linux/arm64', 'test:app@linux/arm/v7']);
    for (const id of [...h.running()]) await h.finish(id);
    await done;
  });

  it('treats a concurrency below 1 as 1', async () => {
    const h = controlledSteps();
    const done = execute(chain(), { steps: h.steps, emit: () => {}, concurrency: 0 });
    await flush();
    expect(h.running()).toEqual(['build:app@linux/amd64']);
    for (const id of chain().order) await h.finish(id);
    expect((await done).status).toBe('succeeded');
  });

  it('caps a kind with limits while other kinds use the free slots', async () => {
    const h = controlledSteps();
    const done = execute(wide(), { steps: h.steps, emit: () => {}, concurrency: 4, limits: { build: 1 } });
    await flush();
    expect(h.running()).toEqual(['build:app@linux/amd64']);
    await h.finish('build:app@linux/amd64');
    expect(h.running()).toEqual(['test:app@linux/amd64', 'build:app@linux/arm64']);
    await h.finish('build:app@linux/arm64');
    expect(h.running()).toEqual(['test:app@linux/amd64', 'test:app@linux/arm64', 'build:app@linux/arm/v7']);
    for (const id of [...h.running()]) await h.finish(id);
    await h.finish('test:app@linux/arm/v7');
    expect((await done).status).toBe('succeeded');
    expect(h.maxByKind()).toEqual({ build: 1, test: 2 });
    expect(h.maxRunning()).toBe(3);
  });
});

describe('execute: failures', () => {
  it('skips exactly the transitive dependents of a failed node, with it as the reason, and finishes the rest', async () => {
    const p = plan(localConfig());
    const failed = 'build:base@linux/arm64';
    const r = recorder();
    const error = new MultiarchError('E_BUILD_FAILED', 'docker build for linux/arm64 failed (exit 1)', {
      hint: 'see the build output above',
      details: ['#7 ERROR: process "/bin/sh -c make" did not complete successfully'],
    });
    const summary = await execute(p, { steps: instantSteps({ [failed]: error }), emit: r.emit, concurrency: 8 });
    const skipped = [
      'test:base@linux/arm64',
      'push:base@linux/arm64->local',
      'index:base:v1->local',
      'build:web@linux/arm64',
      'push:web@linux/arm64->local',
      'index:web:v1->local',
    ];
    const byId = new Map(summary.nodes.map((n) => [n.id, n]));
    expect(byId.get(failed)).toMatchObject({
      status: 'failed',
      error: {
        code: 'E_BUILD_FAILED',
        message: 'docker build for linux/arm64 failed (exit 1)',
        hint: 'see the build output above',
        details: ['#7 ERROR: process "/bin/sh -c make" did not complete successfully'],
      },
    });
    for (const id of skipped) expect(byId.get(id), id).toMatchObject({ status: 'skipped', reason: failed, durationMs: 0 });
    const others = p.order.filter((id) => id !== failed && !skipped.includes(id));
    expect(others).toHaveLength(17 - 7);
    for (const id of others) expect(byId.get(id)!.status, id).toBe('succeeded');
    expect(summary.status).toBe('failed');

    // Skipped nodes never start; their node:end says why.
    const starts = new Set(r.events.filter((e) => e.type === 'node:start').map((e) => (e as { id: string }).id));
    for (const id of skipped) expect(starts.has(id)).toBe(false);
    expect(r.end('index:web:v1->local')).toMatchObject({ status: 'skipped', reason: failed });
    expect(r.end(failed)!.error).toEqual(byId.get(failed)!.error);
  });

  it('serializes an unexpected exception as E_INTERNAL', async () => {
    const p = chain();
    const summary = await execute(p, { steps: instantSteps({ 'test:app@linux/amd64': new TypeError('x is not a function') }), emit: () => {}, concurrency: 1 });
    expect(summary.nodes.map((n) => n.status)).toEqual(['succeeded', 'failed', 'skipped', 'skipped']);
    expect(summary.nodes[1]!.error).toEqual({
      code: 'E_INTERNAL',
      message: 'x is not a function',
      hint: 'this is a bug in multiarch; please report it with the output above',
    });
    expect(summary.nodes[3]!.reason).toBe('test:app@linux/amd64');
  });

  it('keeps running independent nodes while another one is failing', async () => {
    const h = controlledSteps();
    const r = recorder();
    const done = execute(wide(), { steps: h.steps, emit: r.emit, concurrency: 3 });
    await flush();
    await h.fail('build:app@linux/arm64', new MultiarchError('E_BUILD_FAILED', 'boom'));
    expect(r.end('test:app@linux/arm64')).toMatchObject({ status: 'skipped', reason: 'build:app@linux/arm64' });
    expect(h.running()).toEqual(['build:app@linux/amd64', 'build:app@linux/arm/v7']);
    for (const id of ['build:app@linux/amd64', 'build:app@linux/arm/v7', 'test:app@linux/amd64', 'test:app@linux/arm/v7']) await h.finish(id);
    const summary = await done;
    expect(summary.status).toBe('failed');
    expect(summary.nodes.filter((n) => n.status === 'succeeded')).toHaveLength(4);
  });

  it('rejects a plan whose nodes wait for something that is not in it', async () => {
    const p = chain();
    const broken: Plan = { ...p, nodes: { ...p.nodes, 'build:app@linux/amd64': { ...p.nodes['build:app@linux/amd64']!, deps: ['build:ghost@linux/amd64'] } as PlanNode } };
    await expect(execute(broken, { steps: instantSteps(), emit: () => {}, concurrency: 1 })).rejects.toThrow(/scheduler stalled/);
  });
});

describe('execute: outputs, results and the summary', () => {
  it('passes a finished node’s output to its dependents through outputOf', async () => {
    const p = plan(localConfig());
    const seen: Record<string, unknown> = {};
    await execute(p, {
      steps: table(async (node, ctx) => {
        if (node.kind === 'build') {
          for (const [key, arg] of Object.entries(node.args)) if (typeof arg !== 'string') seen[`${node.id} ${key}`] = ctx.outputOf(arg.ref.node);
        }
        return { output: { digest: `sha256:${node.id}` } };
      }),
      emit: () => {},
      concurrency: 4,
    });
    expect(seen).toEqual({
      'build:web@linux/amd64 BASE': { digest: 'sha256:push:base@linux/amd64->local' },
      'build:web@linux/arm64 BASE': { digest: 'sha256:push:base@linux/arm64->local' },
      'build:web@linux/arm/v7 BASE': { digest: 'sha256:push:base@linux/arm/v7->local' },
    });
  });

  it('fails a node that asks for the output of a node that has not finished', async () => {
    const p = chain();
    const summary = await execute(p, {
      steps: table(async (node, ctx) => ({ output: node.kind === 'test' ? ctx.outputOf('index:app:v1->local') : 1 })),
      emit: () => {},
      concurrency: 1,
    });
    expect(summary.nodes[1]).toMatchObject({
      status: 'failed',
      error: { code: 'E_INTERNAL', message: 'test:app@linux/amd64 asked for the output of index:app:v1->local, which has none' },
    });
  });

  it('lists every ref pushed or indexed with its digest, and counts cached nodes as success', async () => {
    const p = plan(localConfig({ web: { tags: ['v1', 'latest'] } }), {}, { images: ['web'], platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'] });
    const steps = table(async (node) => {
      if (node.kind === 'build') return { status: 'cached', output: 1, info: { imageId: 'sha256:img', refs: ['not-a-push'], digest: 'sha256:x' } };
      const refs = nodeRefs(node);
      return { output: 1, ...(refs.length ? { info: { refs, digest: `sha256:${node.id}` } } : {}) };
    });
    const summary = await execute(p, { steps, emit: () => {}, concurrency: 4 });
    expect(summary.status).toBe('succeeded');
    expect(summary.nodes.find((n) => n.id === 'build:web@linux/arm64')).toMatchObject({ status: 'cached', result: { imageId: 'sha256:img' } });
    expect(summary.published).toEqual(
      expect.arrayContaining([
        { ref: '127.0.0.1:5000/team/web:v1-linux-arm64', digest: 'sha256:push:web@linux/arm64->local', kind: 'platform' },
        { ref: '127.0.0.1:5000/team/web:latest-linux-arm64', digest: 'sha256:push:web@linux/arm64->local', kind: 'platform' },
        { ref: '127.0.0.1:5000/team/web:latest', digest: 'sha256:index:web:latest->local', kind: 'index' },
        { ref: '127.0.0.1:5000/team/base:v1', digest: 'sha256:index:base:v1->local', kind: 'index' },
      ]),
    );
    // 3 base pushes + 3 web pushes × 2 tags + 1 base index + 2 web indexes; builds publish nothing.
    expect(summary.published).toHaveLength(3 + 6 + 3);
    expect(summary.published.some((x) => x.ref === 'not-a-push')).toBe(false);
  });
});
