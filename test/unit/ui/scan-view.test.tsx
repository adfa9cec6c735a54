/** Scan nodes in the reporters: a row of the grid, a line of the plain log, the JSON schema. */
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { ExecEvent } from '../../../src/exec/events.js';
import { stripAnsi } from '../../../src/text/text-width.js';
import { RunView } from '../../../src/ui/run/ink/RunView.js';
import { createPlainReporter } from '../../../src/ui/run/plain.js';
import { initialState, reduce, type ViewState } from '../../../src/ui/run/state.js';
import { makePlan, recordRun, userConfig } from './fixtures.js';

afterEach(() => cleanup());

const fold = (events: readonly ExecEvent[]): ViewState => events.reduce(reduce, initialState);
const scanned = () => makePlan({ ...userConfig, scan: { failOn: 'critical' } });

describe('scan nodes in the reporters', () => {
  it('the view model gives each platform its scan cell', async () => {
    const state = fold((await recordRun(scanned())).slice(0, 1));
    expect(state.images[1]!.platforms[1]).toEqual({
      platform: 'linux/arm64',
      build: 'build:web@linux/arm64',
      test: 'test:web@linux/arm64',
      scan: 'scan:web@linux/arm64',
      pushes: [{ target: 'local', id: 'push:web@linux/arm64->local' }],
    });
  });

  it('the grid has a scan row between test and push; a failed scan skips every push of the image', async () => {
    const events = await recordRun(scanned(), { fail: ['scan:web@linux/arm64'] });
    const view = fold(events);
    const { lastFrame } = render(<RunView view={view} now={() => view.endedAt!} />);
    const frame = stripAnsi(lastFrame()!);
    expect(frame).toMatch(/ {2}test +✓ [\d.]+s +✓ [\d.]+s\n {2}scan +✓ [\d.]+s +✗ [\d.]+s\n {2}push local +– skipped +– skipped/);
  });

  it('the plain reporter names scan nodes like the others', async () => {
    let out = '';
    const reporter = createPlainReporter({ write: (t) => (out += t), formatTime: () => '12:00:00' });
    for (const e of await recordRun(scanned())) reporter.sink(e);
    expect(out).toContain('12:00:00 web linux/arm64 scan  started');
  });
});
