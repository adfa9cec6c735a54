/**
 * `apply` as a GitHub Actions step (`GITHUB_ACTIONS=true`, output not a terminal): plain lines
 * without colour, each node's log in a `::group::`, an `::error` annotation at the Dockerfile line
 * whose step failed, and the run summary appended to `$GITHUB_STEP_SUMMARY`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { multiarch } from './support/cli.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';

describe('apply on GitHub Actions', () => {
  it('groups logs, annotates the failing Dockerfile line and writes the step summary', async () => {
    const { registry, baseImage } = testEnv();
    const stamp = Date.now();
    const dir = makeFixture({
      'good/Dockerfile': `FROM ${baseImage}\nRUN echo "good ${stamp}" > /stamp\n`,
      // The failing instruction starts on line 6, after a comment and a continued RUN.
      'bad/Dockerfile': `FROM ${baseImage}\n# prepare\nRUN echo "bad ${stamp}" \\\n    > /stamp\n\nRUN echo about to fail && \\\n    exit 3\n`,
      'multiarch.config.ts': `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { local: { url: '${registry}', insecure: true } },
  images: {
    good: { context: './good', platforms: ['linux/amd64'], tags: ['v1'], publish: [{ registry: 'local', repository: 'e2e/gha-good-${stamp}' }] },
    bad: { context: './bad', platforms: ['linux/amd64'], tags: ['v1'], publish: [{ registry: 'local', repository: 'e2e/gha-bad-${stamp}' }] },
  },
});
`,
    });
    const summaryFile = path.join(dir, 'step-summary.md');
    writeFileSync(summaryFile, '');
    const run = await multiarch(['apply'], {
      cwd: dir,
      env: { CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summaryFile, GITHUB_WORKSPACE: dir, NO_COLOR: '' },
    });
    expect(run.exitCode, run.all).toBe(1);
    const out = run.stdout;
    expect(out).not.toContain('\u001b[');
    // One timestamped line per state change, prefixed with the node.
    expect(out).toMatch(/^\d\d:\d\d:\d\d good linux\/amd64 build {2}started$/m);
    expect(out).toMatch(/^\d\d:\d\d:\d\d bad linux\/amd64 build {2}failed after [\d.]+s$/m);
    // The good build's log in a group, the bad one's in full and an annotation at line 6.
    expect(out).toMatch(/^::group::good linux\/amd64 build — succeeded, \d+ log lines\n::stop-commands::[0-9a-f-]+\n/m);
    expect(out).not.toMatch(/^::group::bad linux\/amd64 build/m);
    expect(out).toMatch(/^ {2}│ .*about to fail/m);
    expect(out).toMatch(/^::error file=bad\/Dockerfile,line=6,title=bad linux\/amd64 build failed::docker build for linux\/amd64 failed \(exit 1\) \[E_BUILD_FAILED\]/m);
    const summary = readFileSync(summaryFile, 'utf8');
    expect(summary).toMatch(/^### ❌ multiarch apply failed after [\d.]+s\n/);
    expect(summary).toContain(`| <code>${registry}/e2e/gha-good-${stamp}:v1</code> | <code>sha256:`);
    expect(summary).toMatch(/\| bad linux\/amd64 build \| [\d.]+s \| <code>E_BUILD_FAILED<\/code> .*<br>at <code>.*bad\/Dockerfile:6<\/code>/);
  });
});
