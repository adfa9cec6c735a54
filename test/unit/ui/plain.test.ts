import { describe, expect, it } from 'vitest';
import type { ExecEvent } from '../../../src/exec/events.js';
import { createPlainReporter } from '../../../src/ui/run/plain.js';
import { makePlan, recordRun } from './fixtures.js';

function run(events: readonly ExecEvent[], options: { verbose?: boolean; color?: boolean } = {}): { text: string; writes: string[] } {
  const writes: string[] = [];
  const reporter = createPlainReporter({ write: (t) => writes.push(t), ...options });
  for (const event of events) reporter.sink(event);
  return { text: writes.join(''), writes };
}

describe('plain reporter', () => {
  it('prints one timestamped, labelled line per state change', async () => {
    const { text } = run(await recordRun(makePlan()));
    expect(text).toContain('12:00:00 multiarch  running 15 nodes from /work/app/multiarch.config.ts\n');
    expect(text).toContain('12:00:00 base linux/amd64 build  started\n');
    expect(text).toContain('12:00:01 base linux/amd64 build  succeeded in 1.5s\n');
    expect(text).toMatch(/\d\d:\d\d:\d\d base linux\/amd64 push → local {2}succeeded in 1\.5s — sha256:[0-9a-f]{12}\n/);
    expect(text).toMatch(/\d\d:\d\d:\d\d web:v1 index → local {2}succeeded in 1\.5s/);
    expect(text).not.toContain('\u001b[');
  });

  it('prints each distinct progress message once per node', async () => {
    const { text } = run(await recordRun(makePlan()));
    const lines = text.split('\n').filter((l) => l.includes('base linux/amd64 build') && l.includes('[1/2] FROM base'));
    expect(lines).toEqual(['12:00:00 base linux/amd64 build  [1/2] FROM base']);
    expect(text).toContain('12:00:00 base linux/amd64 build  [2/2] RUN make\n');
  });

  it('keeps process output back unless verbose, but prints a failed node’s whole output when it fails', async () => {
    const events = await recordRun(makePlan(), { fail: ['build:web@linux/arm64'], extraLines: 30 });
    const { text } = run(events);
    expect(text).not.toContain('#1 building build:base@linux/amd64');
    const failed = text.slice(text.indexOf('web linux/arm64 build  failed after 1.5s'));
    // All 32 lines, not only a tail.
    expect(failed).toContain('  │ #1 building build:web@linux/arm64\n');
    expect(failed).toContain('  │ step output line 1\n');
    expect(failed).toContain('  │ step output line 30\n');
    expect(failed).toContain('  error build of build:web@linux/arm64 failed: exit code 2\n');
    // A detail line already printed from the buffer is not repeated; a new one is.
    expect(failed.match(/#2 done build:web@linux\/arm64/g)).toHaveLength(1);
    expect(failed).toContain('make: *** [all] Error 2');
    expect(failed).toContain('  hint: read the log lines above');
  });

  it('streams every output line with --verbose', async () => {
    const { text } = run(await recordRun(makePlan()), { verbose: true });
    expect(text).toContain('12:00:00 base linux/amd64 build  │ #1 building build:base@linux/amd64\n');
    expect(text).toContain('12:00:00 base linux/amd64 build  │ #2 done build:base@linux/amd64\n');
  });

  it('with --verbose, does not print a failed node’s output (or its error details) a second time', async () => {
    const { text } = run(await recordRun(makePlan(), { fail: ['build:web@linux/arm64'] }), { verbose: true });
    expect(text.match(/#2 done build:web@linux\/arm64/g)).toHaveLength(1);
    expect(text).toContain('  error build of build:web@linux/arm64 failed: exit code 2\n    make: *** [all] Error 2\n');
  });

  it('says which failed node a skipped node waited for', async () => {
    const { text } = run(await recordRun(makePlan(), { fail: ['test:base@linux/arm64'] }));
    expect(text).toMatch(/\d\d:\d\d:\d\d web linux\/arm64 build {2}skipped — waited for base linux\/arm64 test, which failed\n/);
    expect(text).toMatch(/base:v1 index → local {2}skipped — waited for base linux\/arm64 test, which failed\n/);
  });

  it('ends with the summary table', async () => {
    const { text, writes } = run(await recordRun(makePlan(), { fail: ['build:web@linux/arm64'] }));
    const last = writes.at(-1)!;
    expect(last.startsWith('\nMulti-arch indexes written (1)')).toBe(true);
    expect(last).toContain('Failed (1)');
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/^Failed after [\d.]+s: /);
  });

  it('colours only when asked', async () => {
    const { text } = run(await recordRun(makePlan(), { fail: ['build:web@linux/arm64'] }), { color: true });
    expect(text).toContain('\u001b[31mfailed\u001b[39m');
  });

  it('says once, in the log, that it is stopping after Ctrl-C', async () => {
    const events = await recordRun(makePlan(), { cancelAt: 'test:base@linux/arm64' });
    const writes: string[] = [];
    const controller = new AbortController();
    const reporter = createPlainReporter({ write: (t) => writes.push(t), signal: controller.signal, now: () => events[0]!.at });
    for (const e of events.slice(0, 4)) reporter.sink(e);
    const before = writes.length;
    controller.abort();
    for (const e of events.slice(4)) reporter.sink(e);
    await reporter.done();
    expect(writes[before]).toBe('12:00:00 multiarch  Stopping: canceling 1 running step, no new steps. Ctrl-C again to exit now.\n');
    expect(writes.join('').match(/Stopping/g)).toHaveLength(1);
  });
});
