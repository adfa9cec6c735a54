import { describe, expect, it } from 'vitest';
import { MultiarchError } from '../../../src/errors/multiarch-error.js';
import { execute, type StepResult } from '../../../src/exec/execute.js';
import { chain, controlledSteps, flush, recorder, table, wide } from './harness.js';

describe('execute: cancellation', () => {
  it('cancels pending nodes when the signal aborts; running steps see it and end canceled', async () => {
    const p = wide();
    const h = controlledSteps();
    const r = recorder();
    const controller = new AbortController();
    const done = execute(p, { steps: h.steps, emit: r.emit, concurrency: 2, signal: controller.signal });
    await flush();
    expect(h.running()).toEqual(['build:app@linux/amd64', 'build:app@linux/arm64']);
    expect(h.ctx('build:app@linux/amd64').signal.aborted).toBe(false);
    controller.abort();
    await flush();
    expect(h.ctx('build:app@linux/amd64').signal.aborted).toBe(true);
    expect(h.ctx('build:app@linux/arm64').signal.aborted).toBe(true);
    // Pending nodes are canceled at once, and nothing new starts.
    expect(r.end('build:app@linux/arm/v7')).toMatchObject({ status: 'canceled', reason: 'canceled' });
    await h.fail('build:app@linux/amd64', new MultiarchError('E_CANCELED', 'build canceled'));
    await h.fail('build:app@linux/arm64', new Error('The operation was aborted'));
    const summary = await done;
    expect(h.started).toEqual(['build:app@linux/amd64', 'build:app@linux/arm64']);
    expect(summary.status).toBe('canceled');
    expect(Object.fromEntries(summary.nodes.map((n) => [n.id, n.status]))).toEqual({
      'build:app@linux/amd64': 'canceled',
      'test:app@linux/amd64': 'canceled',
      'build:app@linux/arm64': 'canceled',
      'test:app@linux/arm64': 'canceled',
      'build:app@linux/arm/v7': 'canceled',
      'test:app@linux/arm/v7': 'canceled',
    });
    expect(r.events.at(-1)!.type).toBe('run:end');
  });

  it('keeps what a running step still finishes, and a real failure during cancellation stays a failure', async () => {
    const h = controlledSteps();
    const controller = new AbortController();
    const done = execute(wide(), { steps: h.steps, emit: () => {}, concurrency: 2, signal: controller.signal });
    await flush();
    controller.abort();
    await flush();
    await h.finish('build:app@linux/amd64');
    await h.fail('build:app@linux/arm64', new MultiarchError('E_BUILD_FAILED', 'exit 1'));
    const summary = await done;
    expect(summary.status).toBe('canceled');
    const status = Object.fromEntries(summary.nodes.map((n) => [n.id, n.status]));
    expect(status['build:app@linux/amd64']).toBe('succeeded');
    expect(status['build:app@linux/arm64']).toBe('failed');
    expect(status['test:app@linux/amd64']).toBe('canceled');
  });

  it('cancels, not skips, the dependents of a step that stops as soon as it sees the abort', async () => {
    const p = wide();
    const controller = new AbortController();
    const steps = table(async (node, ctx) => {
      if (node.id !== 'build:app@linux/arm64') return { output: 1 };
      queueMicrotask(() => controller.abort());
      return new Promise<StepResult>((_resolve, reject) =>
        ctx.signal.addEventListener('abort', () => reject(new MultiarchError('E_CANCELED', 'build canceled')), { once: true }),
      );
    });
    const summary = await execute(p, { steps, emit: () => {}, concurrency: 1, signal: controller.signal });
    expect(summary.nodes.map((n) => [n.id, n.status, n.reason])).toEqual([
      ['build:app@linux/amd64', 'succeeded', undefined],
      ['test:app@linux/amd64', 'succeeded', undefined],
      ['build:app@linux/arm64', 'canceled', undefined],
      ['test:app@linux/arm64', 'canceled', 'canceled'],
      ['build:app@linux/arm/v7', 'canceled', 'canceled'],
      ['test:app@linux/arm/v7', 'canceled', 'canceled'],
    ]);
    expect(summary.nodes[2]!.error).toEqual({ code: 'E_CANCELED', message: 'build canceled' });
    expect(summary.status).toBe('canceled');
  });

  it('starts nothing when the signal is already aborted', async () => {
    const h = controlledSteps();
    const r = recorder();
    const summary = await execute(chain(), { steps: h.steps, emit: r.emit, concurrency: 4, signal: AbortSignal.abort() });
    expect(h.started).toEqual([]);
    expect(summary.status).toBe('canceled');
    expect(summary.nodes.every((n) => n.status === 'canceled' && n.reason === 'canceled')).toBe(true);
    expect(r.types()).toEqual([
      'run:start',
      'node:end build:app@linux/amd64',
      'node:end test:app@linux/amd64',
      'node:end push:app@linux/amd64->local',
      'node:end index:app:v1->local',
      'run:end',
    ]);
  });
});
