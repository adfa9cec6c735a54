import { describe, expect, it } from 'vitest';
import { MultiarchError } from '../../../src/errors/multiarch-error.js';
import { execute, type StepResult } from '../../../src/exec/execute.js';
import { chain, table } from './harness.js';

const INDEX_REF = '127.0.0.1:5000/team/app:v1';

describe('execute: refs written before a step stopped', () => {
  it('publishes an index whose tag was written when the read-back is canceled, marked interrupted', async () => {
    const controller = new AbortController();
    const steps = table(async (node, ctx) => {
      if (node.kind !== 'index') return { output: { digest: 'sha256:aa', mediaType: 'm', size: 1 }, info: node.kind === 'push' ? { digest: 'sha256:aa', refs: ['p'] } : {} };
      ctx.wrote([INDEX_REF], 'sha256:bb');
      queueMicrotask(() => controller.abort());
      return new Promise<StepResult>((_resolve, reject) =>
        ctx.signal.addEventListener('abort', () => reject(new MultiarchError('E_CANCELED', 'read-back canceled')), { once: true }),
      );
    });
    const summary = await execute(chain(), { steps, emit: () => {}, concurrency: 1, signal: controller.signal });
    expect(summary.status).toBe('canceled');
    expect(summary.nodes.find((n) => n.kind === 'index')!.status).toBe('canceled');
    expect(summary.published).toContainEqual({ ref: INDEX_REF, digest: 'sha256:bb', kind: 'index', interrupted: true });
  });

  it('does not mark a step that finished: its result is what is published', async () => {
    const steps = table(async (node, ctx) => {
      if (node.kind === 'index') ctx.wrote([INDEX_REF], 'sha256:bb');
      return { output: {}, info: node.kind === 'index' ? { digest: 'sha256:bb', refs: [INDEX_REF] } : {} };
    });
    const summary = await execute(chain(), { steps, emit: () => {}, concurrency: 1 });
    expect(summary.published).toEqual([{ ref: INDEX_REF, digest: 'sha256:bb', kind: 'index' }]);
  });

  it('publishes nothing for a step that failed before it wrote', async () => {
    const steps = table(async (node) => {
      if (node.kind === 'index') throw new MultiarchError('E_INDEX_VERIFY', 'child missing');
      return { output: {} };
    });
    const summary = await execute(chain(), { steps, emit: () => {}, concurrency: 1 });
    expect(summary.published).toEqual([]);
  });
});
