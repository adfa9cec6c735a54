/**
 * Steps whose completion the test controls: every call is recorded with its context and waits on a
 * deferred promise the test settles with `finish` / `fail`. `flush` lets the executor react.
 */
import type { ExecEvent } from '../../../src/exec/events.js';
import type { StepContext, StepResult, StepTable } from '../../../src/exec/execute.js';
import type { PlanNode } from '../../../src/plan/nodes.js';
import { plan } from '../plan/fixtures.js';

interface Call {
  readonly node: PlanNode;
  readonly ctx: StepContext;
  resolve(result: StepResult): void;
  reject(error: unknown): void;
}

export function controlledSteps() {
  const calls = new Map<string, Call>();
  const running = new Set<string>();
  const started: string[] = [];
  let maxRunning = 0;
  const maxByKind: Record<string, number> = {};
  const step = (node: PlanNode, ctx: StepContext): Promise<StepResult> =>
    new Promise<StepResult>((resolve, reject) => {
      calls.set(node.id, { node, ctx, resolve, reject });
      started.push(node.id);
      running.add(node.id);
      maxRunning = Math.max(maxRunning, running.size);
      const kindCount = [...running].filter((id) => calls.get(id)!.node.kind === node.kind).length;
      maxByKind[node.kind] = Math.max(maxByKind[node.kind] ?? 0, kindCount);
    }).finally(() => running.delete(node.id));
  const steps: StepTable = { prepare: step, build: step, test: step, scan: step, push: step, index: step };
  const call = (id: string): Call => {
    const c = calls.get(id);
    if (!c) throw new Error(`${id} has not started; started: ${started.join(', ')}`);
    return c;
  };
  return {
    steps,
    started,
    running: () => [...running],
    maxRunning: () => maxRunning,
    maxByKind: () => maxByKind,
    ctx: (id: string) => call(id).ctx,
    finish: async (id: string, result: StepResult = { output: { id } }) => {
      call(id).resolve(result);
      await flush();
    },
    fail: async (id: string, error: unknown) => {
      call(id).reject(error);
      await flush();
    },
  };
}

/** Let every queued promise continuation and the executor's loop run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function recorder() {
  const events: ExecEvent[] = [];
  return {
    events,
    emit: (e: ExecEvent) => events.push(e),
    types: () => events.map((e) => (e.type.startsWith('node:') ? `${e.type} ${(e as { id: string }).id}` : e.type)),
    end: (id: string) => events.find((e): e is Extract<ExecEvent, { type: 'node:end' }> => e.type === 'node:end' && e.id === id),
  };
}

/** One image, one platform, tested and published: build → test → push → index. */
export const chain = () =>
  plan({
    registries: { local: { url: '127.0.0.1:5000', insecure: true } },
    images: {
      app: {
        context: './app',
        platforms: ['linux/amd64'],
        tags: ['v1'],
        test: { command: ['true'] },
        publish: [{ registry: 'local', repository: 'team/app' }],
      },
    },
  });

/** One image, three platforms, tested, not published: three builds, three tests. */
export const wide = () =>
  plan({ images: { app: { context: '.', platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'], tags: ['v1'], test: { command: ['true'] } } } });

/** Every step the same function. */
export const table = (fn: (node: PlanNode, ctx: StepContext) => Promise<StepResult>): StepTable => ({ prepare: fn, build: fn, test: fn, scan: fn, push: fn, index: fn });
