import { describe, expect, it } from 'vitest';
import type { RunEndEvent, RunSummary } from '../../../src/exec/events.js';
import { stripAnsi } from '../../../src/text/text-width.js';
import { formatSummary } from '../../../src/ui/run/summary.js';
import { makePlan, recordRun } from './fixtures.js';

async function summaryOf(options: Parameters<typeof recordRun>[1] = {}): Promise<RunSummary> {
  const events = await recordRun(makePlan(), options);
  return (events.at(-1) as RunEndEvent).summary;
}

const widthOk = (text: string, width = 80) => stripAnsi(text).split('\n').every((l) => [...l].length <= width);

describe('formatSummary', () => {
  it('lists every ref written with its short digest, counts and total time', async () => {
    const summary = await summaryOf();
    const text = formatSummary(summary, { color: false });
    expect(text).toContain('Multi-arch indexes written (3)');
    expect(text).toContain('Platform images written (6)');
    expect(text).toMatch(/127\.0\.0\.1:5000\/team\/web:v1 +sha256:[0-9a-f]{12}\n/);
    expect(text).toMatch(/127\.0\.0\.1:5000\/team\/web:latest-linux-arm64 +sha256:[0-9a-f]{12}/);
    for (const { ref } of summary.published) expect(text).toContain(ref);
    expect(text).not.toMatch(/sha256:[0-9a-f]{13}/);
    expect(text.split('\n').at(-1)).toBe('Succeeded in 22.5s: 15 succeeded; 9 refs written.');
    expect(widthOk(text)).toBe(true);
  });

  it('says what failed and why (message and hint), and what was skipped because of it', async () => {
    const text = formatSummary(await summaryOf({ fail: ['build:web@linux/arm64'] }), { color: false });
    expect(text).toContain('Failed (1)');
    expect(text).toContain('✗ web linux/arm64 build  after 1.5s  [E_BUILD_FAILED]');
    expect(text).toContain('build of build:web@linux/arm64 failed: exit code 2');
    expect(text).toContain('hint: read the log lines above');
    expect(text).toContain('Skipped (4)');
    expect(text).toContain('waited for web linux/arm64 build, which failed:');
    expect(text).toContain('web:latest index → local');
    expect(text).toMatch(/Failed after [\d.]+s: 10 succeeded, 1 failed, 4 skipped; 5 refs written\.$/);
    expect(widthOk(text)).toBe(true);
  });

  it('reports canceled runs', async () => {
    const text = formatSummary(await summaryOf({ cancelAt: 'test:base@linux/arm64' }), { color: false });
    expect(text).toContain('Canceled (');
    expect(text).toContain('not started: the run was canceled:');
    expect(text).toMatch(/^Canceled after /m);
  });

  it('says what the cache saved, against the last recorded run of each cached node', async () => {
    const cached = ['build:base@linux/amd64', 'build:base@linux/arm64', 'build:web@linux/amd64'];
    const summary = await summaryOf({ cached, previousDurations: { 'build:base@linux/amd64': 61_500, 'build:base@linux/arm64': 3_000 } });
    expect(summary.savedMs).toBe(60_000 + 1_500);
    expect(summary.nodes.find((n) => n.id === 'build:web@linux/amd64')!.savedMs).toBeUndefined();
    const text = formatSummary(summary, { color: false });
    expect(text).toContain('Cache: 3 steps cached, saving about 1m01s (1 with no earlier run on record).\nSucceeded in ');
    const unknown = formatSummary(await summaryOf({ cached: ['build:base@linux/amd64'] }), { color: false });
    expect(unknown).toContain('Cache: 1 step cached; time saved unknown (no earlier run of it on record).');
    expect(formatSummary(await summaryOf(), { color: false })).not.toContain('Cache:');
  });

  it('says that an interrupted run wrote the listed refs before it stopped', async () => {
    const text = formatSummary(await summaryOf({ cancelAt: 'build:web@linux/amd64' }), { color: false });
    expect(text).toContain('Multi-arch indexes written (1)');
    expect(text).toContain('127.0.0.1:5000/team/base:v1 ');
    expect(text.replace(/\n/g, ' ')).toContain('Interrupted: steps not yet started were canceled, running ones stopped; the refs listed above were written before it stopped.');
    const early = formatSummary(await summaryOf({ cancelAt: 'build:base@linux/amd64' }), { color: false });
    expect(early.replace(/\n/g, ' ')).toContain('nothing was written before it stopped.');
  });

  it('fits 80 columns when refs are too long for a row: grouped by repository, tags and digests under it', () => {
    const repo = `registry.example.com:5000/${'very-long-organisation-name/'.repeat(3)}web`;
    const summary: RunSummary = {
      status: 'succeeded',
      durationMs: 1000,
      nodes: [],
      published: [
        { ref: `${repo}:v1-linux-amd64`, digest: `sha256:${'a'.repeat(64)}`, kind: 'platform' },
        { ref: `${repo}:v1-linux-arm64`, digest: `sha256:${'b'.repeat(64)}`, kind: 'platform' },
        { ref: 'r.io/a:v1', digest: `sha256:${'c'.repeat(64)}`, kind: 'platform' },
      ],
    };
    const text = formatSummary(summary, { color: false });
    expect(widthOk(text)).toBe(true);
    // The repository is broken after a "/", never inside a name.
    expect(text).toContain('  registry.example.com:5000/very-long-organisation-name/\n    very-long-organisation-name/very-long-organisation-name/web\n');
    expect(text).toMatch(/\n {4}:v1-linux-amd64 {2}sha256:aaaaaaaaaaaa\n {4}:v1-linux-arm64 {2}sha256:bbbbbbbbbbbb\n/);
    expect(text).toMatch(/\n {2}r\.io\/a\n {4}:v1 +sha256:cccccccccccc/);
  });

  it('uses colour only when asked', async () => {
    const summary = await summaryOf({ fail: ['build:web@linux/arm64'] });
    expect(formatSummary(summary, { color: false })).not.toContain('\u001b[');
    const coloured = formatSummary(summary, { color: true });
    expect(coloured).toContain('\u001b[31m');
    expect(widthOk(coloured)).toBe(true);
  });
});

describe('the summary at monorepo scale', () => {
  const node = (image: string, kind: 'push' | 'index', status: 'succeeded' | 'cached', refs: string[]) => ({
    id: `${kind}:${image}`,
    kind,
    image,
    label: `${image} ${kind}`,
    status,
    durationMs: 10,
    ...(status === 'succeeded' ? { result: { digest: `sha256:${'a'.repeat(64)}`, refs } } : {}),
  });
  it('groups refs by image and counts the images left as they were instead of listing them', () => {
    const nodes = [
      node('s01', 'push', 'succeeded', ['r/s01:v1-amd64']),
      node('s01', 'index', 'succeeded', ['r/s01:v1']),
      node('s02', 'push', 'succeeded', ['r/s02:v1-amd64']),
      node('s02', 'index', 'succeeded', ['r/s02:v1']),
      ...Array.from({ length: 30 }, (_, i) => [node(`u${i}`, 'push', 'cached', []), node(`u${i}`, 'index', 'cached', [])]).flat(),
    ];
    const published = nodes.flatMap((n) => (n.result ? n.result.refs.map((ref) => ({ ref, digest: n.result!.digest, kind: n.kind === 'push' ? ('platform' as const) : ('index' as const) })) : []));
    const text = formatSummary({ status: 'succeeded', durationMs: 1000, nodes, published } as RunSummary, { color: false });
    expect(text).toContain('Multi-arch indexes written (2)\n  s01\n    r/s01:v1  sha256:aaaaaaaaaaaa\n  s02\n    r/s02:v1  sha256:aaaaaaaaaaaa');
    expect(text).toContain('30 other images already up to date: nothing written for them.');
    expect(text).not.toContain('u1');
    expect(text.split("\n").length).toBeLessThanOrEqual(16);
  });
});

describe('formatSummary: an index written just before an interrupt', () => {
  it('lists it with a note that it was not read back and verified', async () => {
    const base = await summaryOf();
    const [first, ...rest] = base.published.filter((p) => p.kind === 'index');
    const summary: RunSummary = { ...base, status: 'canceled', published: [{ ...first!, interrupted: true }, ...rest] };
    const text = formatSummary(summary, { color: false });
    expect(text).toContain(`${first!.ref}`);
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.includes(first!.ref));
    expect(lines[at + 1]).toContain('written; interrupted before it was read back and verified');
    expect(text.match(/interrupted before it was read back/g)).toHaveLength(1);
    expect(widthOk(text)).toBe(true);
    const narrow = formatSummary(summary, { color: false, width: 40 });
    expect(narrow.replace(/\s+/g, ' ')).toContain('written; interrupted before it was read back and verified');
    expect(widthOk(narrow, 40)).toBe(true);
  });
});

describe('formatSummary: a registry that stopped answering', () => {
  it('names the unreachable registry in its own section, with the steps that tried it', async () => {
    const base = await summaryOf({ fail: ['build:web@linux/arm64'] });
    const error = { code: 'E_REGISTRY_UNREACHABLE', message: 'the linux/arm64 build cannot reach the registry 127.0.0.1:5099', registry: '127.0.0.1:5099' };
    const summary: RunSummary = { ...base, nodes: base.nodes.map((n) => (n.id === 'build:web@linux/arm64' ? { ...n, error } : n)) };
    const text = formatSummary(summary, { color: false });
    expect(text).toContain('Unreachable registries (1)\n  ✗ 127.0.0.1:5099\n    not reachable from web linux/arm64 build');
    expect(text.indexOf('Unreachable registries')).toBeLessThan(text.indexOf('Failed (1)'));
    expect(text).not.toContain('see the build output above');
    expect(widthOk(text)).toBe(true);
    expect(formatSummary(base, { color: false })).not.toContain('Unreachable registries');
  });
});
