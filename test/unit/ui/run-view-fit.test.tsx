/**
 * The live view in a terminal shorter than the graph (issue 19): 30 images in 20 and 12 rows.
 * Frames are rendered synchronously from folded state (ink-testing-library's lastFrame right after
 * render); no sleeps, no frame timing.
 */
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExecEvent } from '../../../src/exec/events.js';
import { stripAnsi } from '../../../src/text/text-width.js';
import { RunView } from '../../../src/ui/run/ink/RunView.js';
import { initialState, reduce, type ViewState } from '../../../src/ui/run/state.js';
import { makePlan, recordRun } from './fixtures.js';

afterEach(() => cleanup());

// Rendering 30 grids is CPU work: generous limits for a loaded machine (no timing is asserted).
const SLOW = 60_000;

const thirty = {
  registries: { local: { url: '127.0.0.1:5000', insecure: true } },
  images: Object.fromEntries(
    Array.from({ length: 30 }, (_, i) => [
      `img${String(i).padStart(2, '0')}`,
      { context: `./img${i}`, platforms: ['linux/amd64', 'linux/arm64'], tags: ['v1'], publish: [{ registry: 'local', repository: `team/img${i}` }] },
    ]),
  ),
};

const fold = (events: readonly ExecEvent[]): ViewState => events.reduce(reduce, initialState);

async function midRun(fail?: string): Promise<{ view: ViewState; events: ExecEvent[] }> {
  const events = await recordRun(makePlan(thirty), fail ? { fail: [fail] } : {});
  // Part-way: some images finished, some running, most waiting.
  const at = events.findIndex((e) => e.type === 'node:start' && e.id.startsWith('build:img12'));
  return { view: fold(events.slice(0, at + 1)), events };
}

/** The live frame: what lastFrame shows after the Static part (the header and finished images). */
function frameLines(frame: string | undefined): string[] {
  return stripAnsi(frame ?? '').split('\n');
}

describe('RunView fitted to the terminal', () => {
  it.each([20, 12])('keeps the frame shorter than %i rows, folding waiting images and counting the rest', async (rows) => {
    const { view } = await midRun();
    const { lastFrame } = render(<RunView view={view} feed={[]} rows={rows} now={() => view.startedAt!} />);
    const lines = frameLines(lastFrame());
    expect(lines.length, lines.join('\n')).toBeLessThan(rows);
    const text = lines.join('\n');
    expect(text).toMatch(/… \d+ more/);
    expect(text).toMatch(/running · \d+\/\d+ done/);
    // The running image stays visible: in full with 20 rows, at least as its line with 12.
    expect(text).toMatch(/img12/);
  }, SLOW);

  it('without a row limit, every image is drawn in full', async () => {
    const { view } = await midRun();
    const { lastFrame } = render(<RunView view={view} feed={[]} now={() => view.startedAt!} />);
    expect(stripAnsi(lastFrame() ?? '')).not.toContain('more');
    expect(frameLines(lastFrame()).length).toBeGreaterThan(100);
  }, SLOW);

  it('a failed image stays visible with a one-line note while the run goes on', async () => {
    const events = await recordRun(makePlan(thirty), { fail: ['build:img05@linux/arm64'] });
    const at = events.findIndex((e) => e.type === 'node:end' && e.id === 'build:img05@linux/arm64');
    const view = fold(events.slice(0, at + 1));
    const { lastFrame } = render(<RunView view={view} feed={[]} rows={12} now={() => view.startedAt!} />);
    const lines = frameLines(lastFrame());
    expect(lines.length, lines.join('\n')).toBeLessThan(12);
    expect(lines.join('\n')).toContain('✗ img05');
  }, SLOW);

  it('puts the summary where it cannot make the frame taller than the terminal', async () => {
    const events = await recordRun(makePlan(thirty));
    const view = fold(events);
    const feed = [{ kind: 'header' as const, key: 'header' }, ...view.finished.map((image) => ({ kind: 'image' as const, key: `image:${image}`, image }))];
    const { lastFrame } = render(<RunView view={view} feed={feed} rows={12} now={() => view.endedAt!} />);
    const text = stripAnsi(lastFrame() ?? '');
    // Finished images fold to one line each.
    expect(text).toMatch(/✓ img00 {2}amd64 arm64 {2}\d+\/\d+ done/);
    expect(text).not.toMatch(/ {2}push local +✓/);
  }, SLOW);
});
