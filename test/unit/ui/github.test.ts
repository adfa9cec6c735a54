import { describe, expect, it } from 'vitest';
import type { ExecEvent, SerializedError } from '../../../src/exec/events.js';
import { annotation, createGithubReporter, escapeData } from '../../../src/ui/run/github.js';
import { formatSummaryMarkdown } from '../../../src/ui/run/summary-markdown.js';
import { makePlan, recordRun } from './fixtures.js';

const TOKEN = 'tok-123';

/** The recorded run with the failed build's error pointing at its Dockerfile line, as the builder reports it. */
async function failedBuild(): Promise<ExecEvent[]> {
  const events = await recordRun(makePlan(), { fail: ['build:web@linux/arm64'] });
  const locate = <T extends { status: string; error?: SerializedError }>(n: T): T =>
    n.status === 'failed' ? { ...n, error: { ...n.error!, location: { file: '/home/runner/work/app/web/Dockerfile', line: 7 } } } : n;
  return events.map((e) => (e.type === 'node:end' ? locate(e) : e.type === 'run:end' ? { ...e, summary: { ...e.summary, nodes: e.summary.nodes.map(locate) } } : e));
}

function run(events: readonly ExecEvent[]) {
  const writes: string[] = [];
  const summaries: string[] = [];
  const reporter = createGithubReporter({
    write: (t) => writes.push(t),
    stopToken: TOKEN,
    workspace: '/home/runner/work/app',
    appendStepSummary: (md) => summaries.push(md),
  });
  for (const e of events) reporter.sink(e);
  return { text: writes.join(''), summaries };
}

describe('GitHub Actions reporter', () => {
  it('prints the plain lines, and each node’s output in a collapsed group after it ends', async () => {
    const { text } = run(await recordRun(makePlan()));
    expect(text).toContain('12:00:01 base linux/amd64 build  succeeded in 1.5s\n');
    expect(text).toContain(
      `::group::base linux/amd64 build — succeeded, 2 log lines\n::stop-commands::${TOKEN}\n#1 building build:base@linux/amd64\n#2 done build:base@linux/amd64\n::${TOKEN}::\n::endgroup::\n`,
    );
    expect(text.match(/::group::/g)).toHaveLength(15);
    expect(text.match(/::endgroup::/g)).toHaveLength(15);
    // Every group is closed before the next line of the log.
    expect(text.indexOf('::group::base linux/amd64 build')).toBeLessThan(text.indexOf('base linux/amd64 test  started'));
    expect(text).not.toContain('\u001b[');
  });

  it('annotates a failed build step at its Dockerfile line, relative to the workspace', async () => {
    const { text } = run(await failedBuild());
    expect(text).toContain(
      '::error file=web/Dockerfile,line=7,title=web linux/arm64 build failed::build of build:web@linux/arm64 failed: exit code 2 [E_BUILD_FAILED]%0Ahint: read the log lines above; run `docker buildx build` with the same args to reproduce\n',
    );
    // The failed node’s output is printed in full, not grouped, and cannot act as commands.
    const failed = text.slice(text.indexOf(`::stop-commands::${TOKEN}\n`, text.indexOf('web linux/arm64 build  started')));
    expect(failed).toMatch(new RegExp(`^::stop-commands::${TOKEN}\\n.*web linux/arm64 build  failed after 1\\.5s\\n {2}│ #1 building build:web@linux/arm64\\n`));
    expect(text).not.toContain('::group::web linux/arm64 build');
    // Skipped nodes have no output and no group.
    expect(text).not.toContain('::group::web linux/arm64 test');
  });

  it('annotates failures without a location by title only, escaping what would end the command', () => {
    expect(annotation('web linux/amd64 test', { error: { code: 'E_TEST_FAILED', message: '100% wrong\nsecond line' } })).toBe(
      '::error title=web linux/amd64 test failed::100%25 wrong%0Asecond line [E_TEST_FAILED]',
    );
    expect(annotation('a, b: c', { error: { code: 'E_BUILD_FAILED', message: 'm', location: { file: '/elsewhere/Dockerfile', line: 3 } } }, '/home/runner/work/app')).toBe(
      '::error file=/elsewhere/Dockerfile,line=3,title=a%2C b%3A c failed::m [E_BUILD_FAILED]',
    );
    expect(escapeData('a\r\nb')).toBe('a%0D%0Ab');
  });

  it('keeps output that looks like a workflow command inert', async () => {
    const events = (await recordRun(makePlan())).map((e) => (e.type === 'node:output' ? { ...e, line: '::add-mask::oops' } : e));
    const { text } = run(events);
    const group = text.slice(text.indexOf('::group::base linux/amd64 build'));
    expect(group).toMatch(new RegExp(`^::group::[^\\n]*\\n::stop-commands::${TOKEN}\\n::add-mask::oops\\n`));
  });

  it('appends the run summary as Markdown to the step summary, once', async () => {
    const { summaries } = run(await failedBuild());
    expect(summaries).toHaveLength(1);
    const md = summaries[0]!;
    expect(md).toMatch(/^### ❌ multiarch apply failed after [\d.]+s\n\n10 succeeded, 1 failed, 4 skipped · 5 refs written\n/);
    expect(md).toContain('#### Multi-arch indexes written\n\n| Ref | Digest |\n| --- | --- |\n| <code>127.0.0.1:5000/team/base:v1</code> | <code>sha256:');
    expect(md).toContain('| web linux/arm64 build | 1.5s | <code>E_BUILD_FAILED</code> build of build:web@linux/arm64 failed: exit code 2<br>at <code>/home/runner/work/app/web/Dockerfile:7</code><br>hint: ');
    expect(md).toContain('| web:v1 index → local | skipped | waited for web linux/arm64 build, which failed |');
  });
});

describe('formatSummaryMarkdown', () => {
  it('says what was written before an interrupt and what the cache saved', async () => {
    const interrupted = (await recordRun(makePlan(), { cancelAt: 'build:web@linux/amd64' })).at(-1)!;
    if (interrupted.type !== 'run:end') throw new Error('no run:end');
    const md = formatSummaryMarkdown(interrupted.summary);
    expect(md).toMatch(/^### ⚠️ multiarch apply was interrupted after /);
    expect(md).toContain('The run was interrupted: the refs below were written before it stopped.');
    const cached = (await recordRun(makePlan(), { cached: ['build:base@linux/amd64'], previousDurations: { 'build:base@linux/amd64': 90_000 } })).at(-1)!;
    if (cached.type !== 'run:end') throw new Error('no run:end');
    expect(formatSummaryMarkdown(cached.summary)).toContain('Cache: 1 step cached, saving about 1m28s.');
  });

  it('keeps table cells intact whatever the messages hold', () => {
    const md = formatSummaryMarkdown({
      status: 'failed',
      durationMs: 1,
      published: [],
      nodes: [{ id: 'x', kind: 'test', image: 'a', label: 'a linux/amd64 test', status: 'failed', durationMs: 1, error: { code: 'E_TEST_FAILED', message: 'a | b\n<script>' } }],
    });
    expect(md).toContain('a \\| b<br>&lt;script&gt;');
  });
});
