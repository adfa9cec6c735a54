import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseReporter, createReporter } from '../../../src/ui/run/reporter.js';
import { makePlan, recordRun } from './fixtures.js';

describe('chooseReporter', () => {
  it('prefers json, then Ink on a terminal outside CI, else plain', () => {
    expect(chooseReporter({ json: true, isTTY: true, env: {} })).toBe('json');
    expect(chooseReporter({ json: false, isTTY: true, env: {} })).toBe('ink');
    expect(chooseReporter({ json: false, isTTY: true, env: { CI: 'true' } })).toBe('plain');
    expect(chooseReporter({ json: false, isTTY: false, env: {} })).toBe('plain');
    expect(chooseReporter({ json: false, isTTY: true, env: { TERM: 'dumb' } })).toBe('plain');
    // NO_COLOR is about colour, not about the live view.
    expect(chooseReporter({ json: false, isTTY: true, env: { NO_COLOR: '1' } })).toBe('ink');
    expect(chooseReporter({ json: false, isTTY: false, env: { CI: 'true', GITHUB_ACTIONS: 'true' } })).toBe('github');
    expect(chooseReporter({ json: true, isTTY: false, env: { CI: 'true', GITHUB_ACTIONS: 'true' } })).toBe('json');
  });
});

describe('createReporter', () => {
  it('writes NDJSON with --json', async () => {
    let out = '';
    const reporter = await createReporter({ json: true, verbose: false, isTTY: true, env: {}, write: (t) => (out += t) });
    const events = await recordRun(makePlan());
    events.forEach(reporter.sink);
    await reporter.done();
    expect(out.trimEnd().split('\n')).toHaveLength(events.length);
  });

  it('writes plain lines in CI, coloured only when forced', async () => {
    const events = await recordRun(makePlan(), { fail: ['build:base@linux/amd64'] });
    for (const [env, color, coloured] of [
      [{ CI: 'true' }, undefined, false],
      [{ CI: 'true', FORCE_COLOR: '1' }, undefined, true],
      [{ CI: 'true', FORCE_COLOR: '1' }, false, false],
    ] as const) {
      let out = '';
      const reporter = await createReporter({ json: false, verbose: false, isTTY: true, env, ...(color !== undefined ? { color } : {}), write: (t) => (out += t) });
      events.forEach(reporter.sink);
      await reporter.done();
      expect(out).toContain('base linux/amd64 build');
      expect(out.includes('\u001b[')).toBe(coloured);
    }
  });

  it('on GitHub Actions, groups logs and appends the summary to $GITHUB_STEP_SUMMARY', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'multiarch-gha-'));
    const file = path.join(dir, 'summary.md');
    writeFileSync(file, '# earlier step\n');
    const events = await recordRun(makePlan(), { fail: ['build:base@linux/amd64'] });
    let out = '';
    const env = { CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: file, GITHUB_WORKSPACE: '/work' };
    const reporter = await createReporter({ json: false, verbose: false, isTTY: false, env, write: (t) => (out += t) });
    events.forEach(reporter.sink);
    await reporter.done();
    expect(out).toMatch(/^::group::base linux\/arm64 build — succeeded, 2 log lines$/m);
    expect(out).toMatch(/^::error title=base linux\/amd64 build failed::/m);
    // A fresh token for stop-commands on every run.
    expect(out).toMatch(/^::stop-commands::[0-9a-f-]{36}$/m);
    const summary = readFileSync(file, 'utf8');
    expect(summary.startsWith('# earlier step\n### ❌ multiarch apply failed after ')).toBe(true);
  });
});
