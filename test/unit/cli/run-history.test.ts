import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../src/exec/events.js';
import { historyFile, previousDurations, readRunHistory, recordDurations, writeRunHistory } from '../../../src/cli/run-history.js';

const node = (id: string, status: RunSummary['nodes'][number]['status'], durationMs: number) => ({ id, kind: 'build' as const, image: 'web', label: id, status, durationMs });

describe('run history', () => {
  it('records what succeeded, keeps what a cached or failed run says nothing about, per config', () => {
    const first: RunSummary = { status: 'succeeded', durationMs: 9, published: [], nodes: [node('build:a', 'succeeded', 60_000), node('build:b', 'succeeded', 5_000)] };
    const second: RunSummary = { status: 'failed', durationMs: 9, published: [], nodes: [node('build:a', 'cached', 900), node('build:b', 'failed', 100), node('build:c', 'succeeded', 7)] };
    let history = recordDurations({ version: 1, configs: {} }, '/p/multiarch.config.ts', first);
    history = recordDurations(history, '/p/multiarch.config.ts', second);
    expect(previousDurations(history, '/p/multiarch.config.ts')).toEqual({ 'build:a': 60_000, 'build:b': 5_000, 'build:c': 7 });
    expect(previousDurations(history, '/other/multiarch.config.ts')).toEqual({});
    const broken = { version: 1 as const, configs: { '/c.ts': { a: 5, b: 'x', c: -1, d: null } as unknown as Record<string, number> } };
    expect(previousDurations(broken, '/c.ts')).toEqual({ a: 5 });
  });

  it('reads back what it wrote, and treats a missing or broken file as empty', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'multiarch-history-'));
    const file = historyFile(path.join(dir, 'cache'));
    expect(await readRunHistory(file)).toEqual({ version: 1, configs: {} });
    const history = { version: 1 as const, configs: { '/c.ts': { 'build:a': 12 } } };
    await writeRunHistory(file, history);
    expect(await readRunHistory(file)).toEqual(history);
    writeFileSync(file, '{ not json');
    expect(await readRunHistory(file)).toEqual({ version: 1, configs: {} });
    // Never throws, not even where it cannot write.
    await writeRunHistory(path.join(file, 'under-a-file', 'history.json'), history);
  });
});
