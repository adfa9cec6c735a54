import { describe, expect, it } from 'vitest';
import { Schedule } from '../../../src/exec/schedule.js';
import { localConfig, plan } from '../plan/fixtures.js';

const p = plan(localConfig());
const started = (...ids: string[]) => {
  const s = new Schedule(p);
  for (const id of ids) s.start(id);
  return s;
};
const succeed = (s: Schedule, id: string) => {
  s.start(id);
  s.complete(id, 'succeeded');
};

describe('Schedule', () => {
  it('starts with every node pending and the roots ready, in plan order', () => {
    const s = new Schedule(p);
    expect(p.order.every((id) => s.stateOf(id) === 'pending')).toBe(true);
    expect(s.ready()).toEqual(['build:base@linux/amd64', 'build:base@linux/arm64', 'build:base@linux/arm/v7']);
    expect(s.isFinished()).toBe(false);
  });

  it('makes a node ready once all its deps succeeded or were cached', () => {
    const s = started('build:base@linux/arm64');
    expect(s.ready()).not.toContain('build:base@linux/arm64');
    expect(s.running()).toEqual(['build:base@linux/arm64']);
    s.complete('build:base@linux/arm64', 'cached');
    expect(s.ready()).toContain('test:base@linux/arm64');
    succeed(s, 'test:base@linux/arm64');
    succeed(s, 'push:base@linux/arm64->local');
    expect(s.ready()).toContain('build:web@linux/arm64');
    // The index waits for every platform's push.
    expect(s.ready()).not.toContain('index:base:v1->local');
    expect(s.running()).toEqual([]);
  });

  it('keeps the ready list in plan order whatever order nodes finish in', () => {
    const s = started('build:base@linux/arm/v7', 'build:base@linux/amd64');
    s.complete('build:base@linux/arm/v7', 'succeeded');
    s.complete('build:base@linux/amd64', 'succeeded');
    const ready = s.ready();
    expect(ready).toEqual([...ready].sort((a, b) => p.order.indexOf(a) - p.order.indexOf(b)));
    expect(ready.indexOf('test:base@linux/amd64')).toBeLessThan(ready.indexOf('test:base@linux/arm/v7'));
  });

  it('settles the transitive dependents of a failure as skipped, naming the failed node', () => {
    const s = started('build:base@linux/arm64', 'build:base@linux/amd64');
    const settled = s.complete('build:base@linux/arm64', 'failed');
    expect(settled).toEqual([
      { id: 'test:base@linux/arm64', status: 'skipped', reason: 'build:base@linux/arm64' },
      { id: 'push:base@linux/arm64->local', status: 'skipped', reason: 'build:base@linux/arm64' },
      { id: 'index:base:v1->local', status: 'skipped', reason: 'build:base@linux/arm64' },
      { id: 'build:web@linux/arm64', status: 'skipped', reason: 'build:base@linux/arm64' },
      { id: 'push:web@linux/arm64->local', status: 'skipped', reason: 'build:base@linux/arm64' },
      { id: 'index:web:v1->local', status: 'skipped', reason: 'build:base@linux/arm64' },
    ]);
    expect(s.stateOf('build:base@linux/arm64')).toBe('failed');
    expect(s.stateOf('build:base@linux/amd64')).toBe('running');
    expect(s.reason('index:web:v1->local')).toBe('build:base@linux/arm64');
    // The untouched part of the graph is still pending and schedulable.
    expect(s.stateOf('test:base@linux/amd64')).toBe('pending');
    expect(s.ready()).toEqual(['build:base@linux/arm/v7']);
  });

  it('a second failure names itself for what only it reaches, and skips nothing twice', () => {
    const s = started('build:base@linux/arm64', 'build:base@linux/amd64');
    s.complete('build:base@linux/arm64', 'failed');
    const second = s.complete('build:base@linux/amd64', 'failed');
    expect(second.map((x) => x.id)).not.toContain('index:base:v1->local');
    expect(second.every((x) => x.reason === 'build:base@linux/amd64')).toBe(true);
    expect(s.reason('index:base:v1->local')).toBe('build:base@linux/arm64');
  });

  it('skips nothing when a node succeeds', () => {
    const s = started('build:base@linux/amd64');
    expect(s.complete('build:base@linux/amd64', 'succeeded')).toEqual([]);
  });

  it('skips the dependents of a canceled node too', () => {
    const settled = started('build:base@linux/amd64').complete('build:base@linux/amd64', 'canceled');
    expect(settled.map((x) => x.id)).toContain('build:web@linux/amd64');
    expect(settled.every((x) => x.status === 'skipped' && x.reason === 'build:base@linux/amd64')).toBe(true);
  });

  it('refuses transitions that make no sense', () => {
    const s = started('build:base@linux/amd64');
    expect(() => s.start('build:base@linux/amd64')).toThrow('cannot start build:base@linux/amd64: it is running');
    expect(() => s.complete('build:base@linux/arm64', 'succeeded')).toThrow('cannot complete build:base@linux/arm64: it is pending');
  });

  it('cancels every pending node and leaves running ones to finish', () => {
    const s = started('build:base@linux/amd64');
    const settled = s.cancelPending('canceled');
    expect(settled).toHaveLength(p.order.length - 1);
    expect(settled.every((x) => x.status === 'canceled' && x.reason === 'canceled')).toBe(true);
    expect(s.stateOf('build:base@linux/amd64')).toBe('running');
    expect(s.isFinished()).toBe(false);
    expect(s.ready()).toEqual([]);
    expect(s.complete('build:base@linux/amd64', 'canceled')).toEqual([]);
    expect(s.isFinished()).toBe(true);
  });

  it('finishes when every node settled, however it ended', () => {
    const s = new Schedule(p);
    while (!s.isFinished()) {
      const [next] = s.ready();
      if (!next) break;
      s.start(next);
      s.complete(next, next.startsWith('test:') ? 'failed' : 'succeeded');
    }
    expect(s.isFinished()).toBe(true);
    expect(p.order.every((id) => s.stateOf(id) !== 'pending' && s.stateOf(id) !== 'running')).toBe(true);
  });
});
