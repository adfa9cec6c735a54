import { describe, expect, it } from 'vitest';
import {
  cancelPending,
  completeNode,
  createSchedule,
  isFinished,
  readyNodes,
  runningNodes,
  startNode,
  type ScheduleState,
} from '../../../src/exec/schedule.js';
import { localConfig, plan } from '../plan/fixtures.js';

const p = plan(localConfig());
const start = (state: ScheduleState, ...ids: string[]) => ids.reduce(startNode, state);
const succeed = (state: ScheduleState, id: string) => completeNode(p, state, id, 'succeeded').state;

describe('schedule', () => {
  it('starts with every node pending and the roots ready, in plan order', () => {
    const s = createSchedule(p);
    expect(Object.values(s.states).every((x) => x === 'pending')).toBe(true);
    expect(Object.keys(s.states)).toEqual(p.order);
    expect(readyNodes(p, s)).toEqual(['build:base@linux/amd64', 'build:base@linux/arm64', 'build:base@linux/arm/v7']);
    expect(isFinished(s)).toBe(false);
  });

  it('makes a node ready once all its deps succeeded or were cached', () => {
    let s = start(createSchedule(p), 'build:base@linux/arm64');
    expect(readyNodes(p, s)).not.toContain('build:base@linux/arm64');
    expect(runningNodes(s)).toEqual(['build:base@linux/arm64']);
    s = completeNode(p, s, 'build:base@linux/arm64', 'cached').state;
    expect(readyNodes(p, s)).toContain('test:base@linux/arm64');
    s = succeed(start(s, 'test:base@linux/arm64'), 'test:base@linux/arm64');
    s = succeed(start(s, 'push:base@linux/arm64->local'), 'push:base@linux/arm64->local');
    expect(readyNodes(p, s)).toContain('build:web@linux/arm64');
    // The index waits for every platform's push.
    expect(readyNodes(p, s)).not.toContain('index:base:v1->local');
    expect(runningNodes(s)).toEqual([]);
  });

  it('settles the transitive dependents of a failure as skipped, naming the failed node', () => {
    const s = start(createSchedule(p), 'build:base@linux/arm64', 'build:base@linux/amd64');
    const t = completeNode(p, s, 'build:base@linux/arm64', 'failed');
    expect(t.settled).toEqual([
      { id: 'test:base@linux/arm64', status: 'skipped', reason: 'build:base@linux/arm64' },
      { id: 'push:base@linux/arm64->local', status: 'skipped', reason: 'build:base@linux/arm64' },
      { id: 'index:base:v1->local', status: 'skipped', reason: 'build:base@linux/arm64' },
      { id: 'build:web@linux/arm64', status: 'skipped', reason: 'build:base@linux/arm64' },
      { id: 'push:web@linux/arm64->local', status: 'skipped', reason: 'build:base@linux/arm64' },
      { id: 'index:web:v1->local', status: 'skipped', reason: 'build:base@linux/arm64' },
    ]);
    expect(t.state.states['build:base@linux/arm64']).toBe('failed');
    expect(t.state.states['build:base@linux/amd64']).toBe('running');
    expect(t.state.reasons['index:web:v1->local']).toBe('build:base@linux/arm64');
    // The untouched part of the graph is still pending and schedulable.
    expect(t.state.states['test:base@linux/amd64']).toBe('pending');
    expect(readyNodes(p, t.state)).toEqual(['build:base@linux/arm/v7']);
  });

  it('skips nothing when a node succeeds', () => {
    const t = completeNode(p, start(createSchedule(p), 'build:base@linux/amd64'), 'build:base@linux/amd64', 'succeeded');
    expect(t.settled).toEqual([]);
  });

  it('skips the dependents of a canceled node too', () => {
    const t = completeNode(p, start(createSchedule(p), 'build:base@linux/amd64'), 'build:base@linux/amd64', 'canceled');
    expect(t.settled.map((x) => x.id)).toContain('build:web@linux/amd64');
    expect(t.settled.every((x) => x.status === 'skipped' && x.reason === 'build:base@linux/amd64')).toBe(true);
  });

  it('refuses transitions that make no sense', () => {
    const s = start(createSchedule(p), 'build:base@linux/amd64');
    expect(() => startNode(s, 'build:base@linux/amd64')).toThrow('cannot start build:base@linux/amd64: it is running');
    expect(() => completeNode(p, s, 'build:base@linux/arm64', 'succeeded')).toThrow('cannot complete build:base@linux/arm64: it is pending');
  });

  it('cancels every pending node and leaves running ones to finish', () => {
    const s = start(createSchedule(p), 'build:base@linux/amd64');
    const t = cancelPending(s, 'canceled');
    expect(t.settled).toHaveLength(p.order.length - 1);
    expect(t.settled.every((x) => x.status === 'canceled' && x.reason === 'canceled')).toBe(true);
    expect(t.state.states['build:base@linux/amd64']).toBe('running');
    expect(isFinished(t.state)).toBe(false);
    expect(readyNodes(p, t.state)).toEqual([]);
    const done = completeNode(p, t.state, 'build:base@linux/amd64', 'canceled');
    expect(done.settled).toEqual([]);
    expect(isFinished(done.state)).toBe(true);
  });

  it('does not change the state it was given', () => {
    const s = start(createSchedule(p), 'build:base@linux/amd64');
    const copy = structuredClone(s);
    completeNode(p, s, 'build:base@linux/amd64', 'failed');
    cancelPending(s, 'canceled');
    startNode(s, 'build:base@linux/arm64');
    expect(s).toEqual(copy);
  });
});
