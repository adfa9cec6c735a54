import { describe, expect, it } from 'vitest';
import type { ExecEvent } from '../../../src/exec/events.js';
import { initialState, isImageFinished, LOG_TAIL, markStopping, parseNodeId, reduce, type ViewState } from '../../../src/ui/run/state.js';
import { makePlan, recordRun } from './fixtures.js';

const fold = (events: readonly ExecEvent[]): ViewState => events.reduce(reduce, initialState);

describe('reduce', () => {
  it('lays out images in plan order, with platforms, a cell per stage and index rows', async () => {
    const events = await recordRun(makePlan());
    const state = fold(events.slice(0, 1));
    expect(state.images.map((i) => i.name)).toEqual(['base', 'web']);
    const web = state.images[1]!;
    expect(web.platforms.map((p) => p.platform)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(web.platforms[1]).toEqual({
      platform: 'linux/arm64',
      build: 'build:web@linux/arm64',
      test: 'test:web@linux/arm64',
      pushes: [{ target: 'local', id: 'push:web@linux/arm64->local' }],
    });
    expect(web.targets).toEqual(['local']);
    expect(web.indexes).toEqual([
      { tag: 'v1', target: 'local', id: 'index:web:v1->local' },
      { tag: 'latest', target: 'local', id: 'index:web:latest->local' },
    ]);
    expect(Object.values(state.nodes).every((n) => n.cell.state === 'waiting')).toBe(true);
  });

  it('tracks running nodes with their start time and last progress message', async () => {
    const events = await recordRun(makePlan());
    const upTo = events.findIndex((e) => e.type === 'node:progress' && e.message === '[2/2] RUN make');
    const state = fold(events.slice(0, upTo + 1));
    expect(state.nodes['build:base@linux/amd64']!.cell).toEqual({
      state: 'running',
      startedAt: events[1]!.at,
      message: '[2/2] RUN make',
      progress: { current: 2, total: 2 },
    });
  });

  it('keeps the byte count of a push, and drops a count the next message does not give', () => {
    const start = reduce(initialState, {
      type: 'run:start',
      at: 0,
      configFile: '/c.ts',
      nodes: [{ id: 'push:web@linux/amd64->local', kind: 'push', image: 'web', label: 'web linux/amd64 push → local', deps: [] }],
    });
    const id = 'push:web@linux/amd64->local';
    const running = reduce(start, { type: 'node:start', at: 1, id });
    const bytes = reduce(running, { type: 'node:progress', at: 2, id, message: 'team/web: blob 2/3', current: 300, total: 1000, unit: 'bytes' });
    expect(bytes.nodes[id]!.cell).toEqual({ state: 'running', startedAt: 1, message: 'team/web: blob 2/3', progress: { current: 300, total: 1000, unit: 'bytes' } });
    const plain = reduce(bytes, { type: 'node:progress', at: 3, id, message: 'writing manifest' });
    expect(plain.nodes[id]!.cell).toEqual({ state: 'running', startedAt: 1, message: 'writing manifest' });
  });

  it('marks the run stopping once, without touching the nodes', async () => {
    const state = fold((await recordRun(makePlan())).slice(0, 3));
    const stopping = markStopping(state);
    expect(stopping.stopping).toBe(true);
    expect(stopping.nodes).toBe(state.nodes);
    expect(markStopping(stopping)).toBe(stopping);
  });

  it('records durations, failures with their log tail, skips with their reason, and the summary', async () => {
    const events = await recordRun(makePlan(), { fail: ['build:web@linux/arm64'], cached: ['build:base@linux/amd64'], extraLines: 30 });
    const state = fold(events);
    expect(state.nodes['build:base@linux/arm64']!.cell).toEqual({ state: 'succeeded', durationMs: 1500 });
    expect(state.nodes['build:base@linux/amd64']!.cell.state).toBe('cached');
    expect(state.nodes['build:web@linux/arm64']!.cell).toEqual({ state: 'failed', durationMs: 1500 });
    expect(state.nodes['build:web@linux/arm64']!.error?.code).toBe('E_BUILD_FAILED');
    expect(state.nodes['test:web@linux/arm64']!.cell).toEqual({ state: 'skipped', reason: 'build:web@linux/arm64' });
    expect(state.failed).toEqual(['build:web@linux/arm64']);
    // Only the failed node keeps its lines, and only the last LOG_TAIL of them.
    expect(Object.keys(state.logs)).toEqual(['build:web@linux/arm64']);
    expect(state.logs['build:web@linux/arm64']).toHaveLength(LOG_TAIL);
    expect(state.logs['build:web@linux/arm64']!.at(-1)).toBe('step output line 30');
    expect(state.finished).toEqual(['base', 'web']);
    expect(state.summary?.status).toBe('failed');
    expect(state.endedAt).toBe(events.at(-1)!.at);
  });

  it('marks an image finished only when every node of it is final', async () => {
    const events = await recordRun(makePlan());
    const baseIndexEnd = events.findIndex((e) => e.type === 'node:end' && e.id === 'index:base:v1->local');
    const before = fold(events.slice(0, baseIndexEnd));
    expect(isImageFinished(before, before.images[0]!)).toBe(false);
    expect(before.finished).toEqual([]);
    const after = reduce(before, events[baseIndexEnd]!);
    expect(after.finished).toEqual(['base']);
  });

  it('is pure: it never changes the state it is given', async () => {
    const events = await recordRun(makePlan(), { fail: ['test:base@linux/amd64'] });
    const states: ViewState[] = [];
    let state = initialState;
    for (const e of events) {
      const snapshot = JSON.stringify(state);
      const next = reduce(state, e);
      expect(JSON.stringify(state)).toBe(snapshot);
      states.push(next);
      state = next;
    }
  });

  it('ignores events for nodes it does not know', () => {
    const state = reduce(initialState, { type: 'node:start', at: 1, id: 'build:nope@linux/amd64' });
    expect(state).toBe(initialState);
  });
});

describe('parseNodeId', () => {
  it('reads platform, target and tag back from stable ids', () => {
    expect(parseNodeId('build', 'web', 'build:web@linux/arm/v7')).toEqual({ platform: 'linux/arm/v7' });
    expect(parseNodeId('push', 'web', 'push:web@linux/arm64->hub#2')).toEqual({ platform: 'linux/arm64', target: 'hub#2' });
    expect(parseNodeId('index', 'web', 'index:web:v1.2-rc->local')).toEqual({ tag: 'v1.2-rc', target: 'local' });
  });
});
