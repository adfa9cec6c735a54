import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { ExecEvent } from '../../../src/exec/events.js';
import { stripAnsi } from '../../../src/text/text-width.js';
import { SPINNER_FRAMES } from '../../../src/ui/run/ink/cell-text.js';
import type { FeedItem } from '../../../src/ui/run/ink/feed.js';
import { feedOf } from '../../../src/ui/run/ink/feed.js';
import { RunView } from '../../../src/ui/run/ink/RunView.js';
import { initialState, markStopping, reduce, type ViewState } from '../../../src/ui/run/state.js';
import { makePlan, recordRun, userConfig } from './fixtures.js';

afterEach(() => cleanup());

const fold = (events: readonly ExecEvent[]): ViewState => events.reduce(reduce, initialState);
const upTo = (events: readonly ExecEvent[], match: (e: ExecEvent) => boolean) => events.slice(0, events.findIndex(match) + 1);
const SPIN = `[${SPINNER_FRAMES.join('')}]`;
const lines = (frame: string | undefined) => stripAnsi(frame ?? '').split('\n');

describe('RunView', () => {
  it('shows every stage waiting before anything started', async () => {
    const events = await recordRun(makePlan());
    const view = fold(events.slice(0, 1));
    const { lastFrame } = render(<RunView view={view} now={() => view.startedAt!} />);
    const frame = lastFrame()!;
    expect(frame).toContain('multiarch  15 steps from /work/app/multiarch.config.ts');
    expect(frame).toMatch(/web +amd64 +arm64/);
    expect(frame).toMatch(/ {2}build +· +·\n/);
    expect(frame).toMatch(/ {2}push local +· +·\n/);
    expect(frame).toContain('· index v1 → local');
    expect(frame).toContain('· 0 running · 0/15 done · 0s');
  });

  it('shows a spinner with elapsed time and the progress message of a running build, and animates it', async () => {
    const events = await recordRun(makePlan());
    const view = fold(upTo(events, (e) => e.type === 'node:progress' && e.message === '[2/2] RUN make'));
    const { lastFrame, frames } = render(<RunView view={view} now={() => view.startedAt! + 42_000} />);
    expect(lastFrame()).toMatch(new RegExp(` {2}build +${SPIN} 42s +·`));
    expect(lastFrame()).toContain('  amd64 build  [2/2] RUN make');
    expect(lastFrame()).toMatch(new RegExp(`${SPIN} 1 running · 0/15 done · 42s`));
    await new Promise((resolve) => setTimeout(resolve, 400));
    const spinners = new Set(frames.map((f) => f.match(new RegExp(`${SPIN}(?= 42s)`))?.[0]));
    expect(spinners.size).toBeGreaterThan(1);
  });

  it('shows done (with duration), cached and, as soon as a node fails, its last log lines under the grid', async () => {
    const events = await recordRun(makePlan(), { fail: ['build:web@linux/arm64'], cached: ['build:base@linux/amd64'], extraLines: 25 });
    // Just after the failure and its skips, while web's amd64 platform is still going.
    const view = fold(upTo(events, (e) => e.type === 'node:start' && e.id === 'push:web@linux/amd64->local'));
    const { lastFrame } = render(<RunView view={view} now={() => events.at(-1)!.at} />);
    const frame = lastFrame()!;
    expect(frame).toMatch(/ {2}build +↺ cached +✓ 1\.5s/);
    expect(frame).toMatch(/ {2}build +✓ 1\.5s +✗ 1\.5s/);
    expect(frame).toMatch(/ {2}test +✓ 1\.5s +– skipped/);
    expect(frame).toContain('– index latest → local  skipped');
    const failure = frame.slice(frame.indexOf('✗ web linux/arm64 build failed after 1.5s'));
    expect(failure).toContain('last 20 log lines:');
    expect(failure).toContain('│ step output line 25');
    expect(failure).not.toContain('│ step output line 5\n');
    expect(failure).toContain('error build of build:web@linux/arm64 failed: exit code 2');
    expect(failure).toContain('hint: read the log lines above');
    // The failure block sits under the grid of the image still in progress.
    expect(frame.indexOf('✗ web linux/arm64 build failed')).toBeGreaterThan(frame.indexOf('index latest → local'));
  });

  it('moves finished images to <Static>, printing them once, and ends with the summary', async () => {
    const events = await recordRun(makePlan(), { fail: ['build:web@linux/arm64'] });
    const mid = fold(upTo(events, (e) => e.type === 'node:end' && e.id === 'index:base:v1->local'));
    const { lastFrame, rerender } = render(<RunView view={mid} now={() => mid.startedAt!} />);
    expect(mid.finished).toEqual(['base']);
    const frame = lastFrame()!;
    expect(frame.match(/^base {2,}amd64/gm)).toHaveLength(1);
    expect(frame.indexOf('base ')).toBeLessThan(frame.indexOf('web '));
    const end = fold(events);
    rerender(<RunView view={end} now={() => end.endedAt!} />);
    const last = lastFrame()!;
    expect(last.match(/^base {2,}amd64/gm)).toHaveLength(1);
    expect(last.match(/^web {2,}amd64/gm)).toHaveLength(1);
    expect(last.match(/✗ web linux\/arm64 build failed after/g)).toHaveLength(1);
    expect(last).toContain('Multi-arch indexes written (1)');
    expect(last).toMatch(/Failed after [\d.]+s: 10 succeeded, 1 failed, 4 skipped; 5 refs written\./);
    expect(last).not.toMatch(/\d+ running · /);
  });

  it('streams log lines through <Static> with --verbose, and then does not repeat them in the failure', async () => {
    const events = await recordRun(makePlan(), { fail: ['build:base@linux/amd64'] });
    const view = fold(events);
    const feed: FeedItem[] = [
      ...feedOf(fold(events.slice(0, 1))),
      { kind: 'log', key: 'log:1', id: 'build:base@linux/amd64', line: '#1 building build:base@linux/amd64' },
      ...feedOf(view).slice(1),
    ];
    const { lastFrame } = render(<RunView view={view} feed={feed} verbose now={() => view.endedAt!} />);
    const frame = lastFrame()!;
    expect(frame.match(/#1 building build:base@linux\/amd64/g)).toHaveLength(1);
    expect(frame).toContain('base linux/amd64 build │ #1 building build:base@linux/amd64');
    expect(frame).toContain('error build of build:base@linux/amd64 failed');
  });

  it('renders with colour turned on too', async () => {
    const events = await recordRun(makePlan(), { fail: ['build:web@linux/arm64'] });
    const view = fold(events);
    const { lastFrame } = render(<RunView view={view} color now={() => view.endedAt!} />);
    expect(stripAnsi(lastFrame()!)).toContain('✗ web linux/arm64 build failed after 1.5s');
  });

  it('fits 80 columns with six platforms, long names and long refs', async () => {
    const six = ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/arm/v6', 'linux/ppc64le', 'linux/s390x'];
    const registry = 'a-registry-with-a-long-name';
    const repository = (name: string) => `some-organisation/team-with-long-name/${name}`;
    const config = {
      registries: { [registry]: { url: 'registry.example.com:5000' } },
      images: {
        base: { ...userConfig.images.base, platforms: six, publish: [{ registry, repository: repository('base') }] },
        web: { ...userConfig.images.web, platforms: six, publish: [{ registry, repository: repository('web') }] },
      },
    };
    const plan = makePlan(config, { builder: { kind: 'buildx', description: 'x', nativePlatform: 'linux/amd64', emulated: ['aarch64', 'arm', 'ppc64le', 's390x'] } });
    const events = await recordRun(plan, { fail: ['build:web@linux/s390x'] });
    for (const view of [fold(upTo(events, (e) => e.type === 'node:progress')), fold(upTo(events, (e) => e.type === 'node:end' && e.status === 'skipped')), fold(events)]) {
      const { lastFrame, unmount } = render(<RunView view={view} width={80} now={() => view.startedAt! + 65_000} />);
      const frame = lines(lastFrame());
      for (const line of frame) expect([...line].length, line).toBeLessThanOrEqual(80);
      expect(frame.join('\n')).toMatch(/web +amd64 +arm64 +arm\/v7 +arm\/v6 +ppc64le +s390x/);
      unmount();
    }
  });

  it('shows a push’s bytes sent of the total, with its percentage in the cell', async () => {
    const events = await recordRun(makePlan());
    const view = fold(upTo(events, (e) => e.type === 'node:progress' && e.id === 'push:base@linux/amd64->local' && e.current === 3_100_000));
    const { lastFrame } = render(<RunView view={view} now={() => events.find((e) => e.type === 'node:start' && e.id === 'push:base@linux/amd64->local')!.at + 3000} />);
    const frame = lastFrame()!;
    expect(frame).toMatch(new RegExp(` {2}push local +${SPIN} 3s 44% +·`));
    expect(frame).toContain('  amd64 push local  base: blob 2/3  3.10 MB / 6.90 MB (44%)');
  });

  it('says it is stopping after Ctrl-C, until the summary replaces it', async () => {
    const events = await recordRun(makePlan());
    const view = markStopping(fold(upTo(events, (e) => e.type === 'node:progress')));
    const { lastFrame, rerender } = render(<RunView view={view} now={() => view.startedAt!} />);
    expect(lastFrame()!.replace(/\n/g, ' ')).toContain('■ Stopping: canceling 1 running step, no new steps. Ctrl-C again to exit now.');
    const end = markStopping(fold(events));
    rerender(<RunView view={end} now={() => end.endedAt!} />);
    expect(lastFrame()).not.toContain('Stopping');
  });

  it.each([40, 50, 60])('wraps six platforms onto more rows at %i columns, every line within the width', async (width) => {
    const six = ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/arm/v6', 'linux/ppc64le', 'linux/s390x'];
    const config = { ...userConfig, images: { base: { ...userConfig.images.base, platforms: six } } };
    const plan = makePlan(config, { builder: { kind: 'buildx', description: 'x', nativePlatform: 'linux/amd64', emulated: ['aarch64', 'arm', 'ppc64le', 's390x'] } });
    const events = await recordRun(plan, { fail: ['build:base@linux/s390x'] });
    for (const view of [fold(upTo(events, (e) => e.type === 'node:progress' && e.id.startsWith('push:'))), markStopping(fold(events.slice(0, 9))), fold(events)]) {
      const { lastFrame, unmount } = render(<RunView view={view} width={width} now={() => view.startedAt! + 65_000} />);
      const frame = lines(lastFrame());
      for (const line of frame) expect([...line].length, line).toBeLessThanOrEqual(width);
      const text = frame.join('\n');
      for (const platform of ['amd64', 'arm64', 'arm/v7', 'arm/v6', 'ppc64le', 's390x']) expect(text).toContain(platform);
      // Every platform's build cell is there: six cells over the wrapped rows.
      expect(frame.filter((l) => l.startsWith('  build')).join(' ').match(/[·✓✗⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏–]/g)?.length).toBe(6);
      unmount();
    }
  });
});
