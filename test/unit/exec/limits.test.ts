import { describe, expect, it } from 'vitest';
import { execute } from '../../../src/exec/execute.js';
import { builderLimits, fitUnderLimits, kindLimits, nodeResources, startableNodes } from '../../../src/exec/limits.js';
import { Schedule } from '../../../src/exec/schedule.js';
import { plan } from '../plan/fixtures.js';
import { controlledSteps, flush } from './harness.js';

const resources: Record<string, string[]> = {
  a1: ['kind:build', 'builder:arm'],
  a2: ['kind:build', 'builder:arm'],
  a3: ['kind:build', 'builder:arm'],
  x1: ['kind:build', 'builder:default'],
  t1: ['kind:test', 'builder:arm'],
  p1: ['kind:push'],
};
const of = (id: string) => resources[id]!;

describe('fitUnderLimits', () => {
  it('takes candidates in order while the total has room', () => {
    expect(fitUnderLimits(['a1', 'x1', 'p1'], [], of, { total: 2, resources: {} })).toEqual(['a1', 'x1']);
    expect(fitUnderLimits(['a1', 'x1', 'p1'], ['t1'], of, { total: 2, resources: {} })).toEqual(['a1']);
    expect(fitUnderLimits(['a1'], [], of, { total: 0, resources: {} })).toEqual(['a1']);
  });

  it('skips a candidate whose resource is full and goes on with the next', () => {
    const limits = { total: 10, resources: { 'builder:arm': 2 } };
    expect(fitUnderLimits(['a1', 'a2', 'a3', 'x1', 'p1'], [], of, limits)).toEqual(['a1', 'a2', 'x1', 'p1']);
    // A running test on the arm engine holds one of its two slots.
    expect(fitUnderLimits(['a1', 'a2', 'x1'], ['t1'], of, limits)).toEqual(['a1', 'x1']);
  });

  it('applies every resource a node holds: a kind cap and a builder cap together', () => {
    const limits = { total: 10, resources: { 'kind:build': 1, 'builder:arm': 5 } };
    expect(fitUnderLimits(['a1', 'x1', 't1'], [], of, limits)).toEqual(['a1', 't1']);
  });
});

describe('node resources and limits from the plan', () => {
  const config = {
    builders: { 'linux/arm64': { docker: { host: 'ssh://b' }, concurrency: 1 }, default: { docker: {}, concurrency: 3 } },
    images: {
      app: { context: '.', platforms: ['linux/amd64', 'linux/arm64'], tags: ['v1'], test: { command: ['true'] }, prepare: async () => {} },
      lib: { context: '.', platforms: ['linux/arm64'], tags: ['v1'] },
    },
  };

  it('builds and tests hold their builder; prepares, pushes and indexes only their kind', () => {
    const p = plan(config);
    expect(nodeResources(p.nodes['build:app@linux/arm64']!)).toEqual(['kind:build', 'builder:linux/arm64']);
    expect(nodeResources(p.nodes['test:app@linux/amd64']!)).toEqual(['kind:test', 'builder:default']);
    expect(nodeResources(p.nodes['prepare:app@linux/arm64']!)).toEqual(['kind:prepare']);
    expect(builderLimits(p)).toEqual({ 'builder:default': 3, 'builder:linux/arm64': 1 });
    expect(kindLimits({ build: 1 })).toEqual({ 'kind:build': 1 });
  });

  it('startableNodes: ready nodes that fit next to the running ones', () => {
    const p = plan(config);
    const s = new Schedule(p);
    const limits = { total: 8, resources: builderLimits(p) };
    expect(startableNodes(p, s, limits)).toEqual(['prepare:app@linux/amd64', 'prepare:app@linux/arm64', 'build:lib@linux/arm64']);
    s.start('build:lib@linux/arm64');
    expect(startableNodes(p, s, limits)).toEqual(['prepare:app@linux/amd64', 'prepare:app@linux/arm64']);
  });

  it('execute honours a builder’s concurrency: one build at a time on the arm64 engine, others go on', async () => {
    const p = plan(config);
    const h = controlledSteps();
    const done = execute(p, { steps: h.steps, emit: () => {}, concurrency: 8 });
    await flush();
    expect(h.running()).toEqual(['prepare:app@linux/amd64', 'prepare:app@linux/arm64', 'build:lib@linux/arm64']);
    await h.finish('prepare:app@linux/arm64');
    await h.finish('prepare:app@linux/amd64');
    // build:app@linux/arm64 is ready but waits for the arm64 engine; amd64 goes ahead.
    expect(h.running()).toEqual(['build:lib@linux/arm64', 'build:app@linux/amd64']);
    await h.finish('build:lib@linux/arm64');
    expect(h.running()).toEqual(['build:app@linux/amd64', 'build:app@linux/arm64']);
    await h.finish('build:app@linux/arm64');
    // Its test holds the arm64 engine too.
    expect(h.running()).toEqual(['build:app@linux/amd64', 'test:app@linux/arm64']);
    for (const id of ['build:app@linux/amd64', 'test:app@linux/arm64', 'test:app@linux/amd64']) await h.finish(id);
    expect((await done).status).toBe('succeeded');
  });

  it('lets resourceLimits override what the plan says', async () => {
    const p = plan(config);
    const h = controlledSteps();
    const done = execute(p, { steps: h.steps, emit: () => {}, concurrency: 8, resourceLimits: { 'kind:prepare': 1 } });
    await flush();
    expect(h.running()).toEqual(['prepare:app@linux/amd64', 'build:lib@linux/arm64']);
    for (const id of ['prepare:app@linux/amd64', 'build:lib@linux/arm64', 'prepare:app@linux/arm64', 'build:app@linux/amd64', 'build:app@linux/arm64', 'test:app@linux/amd64', 'test:app@linux/arm64']) {
      await h.finish(id);
    }
    expect((await done).status).toBe('succeeded');
  });
});
