import process from 'node:process';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { stripAnsi } from '../../../src/text/text-width.js';
import { createInkReporter } from '../../../src/ui/run/ink/ink-reporter.js';
import { makePlan, recordRun, userConfig } from './fixtures.js';

class FakeTerminal extends Writable {
  columns = 80;
  rows = 500;
  isTTY = true;
  readonly chunks: string[] = [];
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.chunks.push(chunk.toString());
    callback();
  }
  text(): string {
    // Colour and cursor/erase sequences alike: what is left is the text drawn, frame after frame.
    // eslint-disable-next-line no-control-regex
    return stripAnsi(this.chunks.join('')).replace(/\u001b\[[?0-9;]*[A-Za-z]/g, '');
  }
}

const terminal = () => {
  const stdout = new FakeTerminal();
  return { stdout, asStream: stdout as unknown as NodeJS.WriteStream };
};
const inkHoldsFrames = ['CI', 'CONTINUOUS_INTEGRATION'].some((k) => k in process.env && !['0', 'false'].includes(process.env[k]!));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createInkReporter', () => {
  it('renders on run:start, redraws as events arrive, and unmounts after run:end leaving the summary', async () => {
    const events = await recordRun(makePlan(), { fail: ['build:web@linux/arm64'] });
    const { stdout, asStream } = terminal();
    const reporter = createInkReporter({ stdout: asStream, color: false, now: () => events[0]!.at + 3000 });
    reporter.sink(events[0]!);
    expect(stdout.text()).toContain('multiarch  15 steps from /work/app/multiarch.config.ts');
    for (const e of events.slice(1, 4)) reporter.sink(e);
    await sleep(120);
    // Under CI Ink itself holds frames back until it unmounts (the CLI picks the plain reporter there).
    if (!inkHoldsFrames) expect(stdout.text()).toContain('amd64 build  [1/2] FROM base');
    for (const e of events.slice(4)) reporter.sink(e);
    await reporter.done();
    const text = stdout.text();
    expect(text).toContain('✗ web linux/arm64 build failed after 1.5s');
    expect(text).toContain('Multi-arch indexes written (1)');
    expect(text).toMatch(/Failed after [\d.]+s: 10 succeeded, 1 failed, 4 skipped; 5 refs written\./);
    // Nothing is drawn after done() resolved: no timer left behind.
    const written = stdout.chunks.length;
    await sleep(200);
    expect(stdout.chunks.length).toBe(written);
  });

  it('streams every log line with verbose', async () => {
    const events = await recordRun(makePlan());
    const { stdout, asStream } = terminal();
    const reporter = createInkReporter({ stdout: asStream, color: false, verbose: true });
    for (const e of events) reporter.sink(e);
    await reporter.done();
    const text = stdout.text();
    expect(text).toContain('base linux/amd64 build │ #1 building build:base@linux/amd64');
    expect(text).toContain('web:latest index → local │ #2 done index:web:latest->local');
  });

  it('fits the terminal it draws on', async () => {
    const events = await recordRun(makePlan(), { fail: ['test:web@linux/amd64'] });
    const { stdout, asStream } = terminal();
    const reporter = createInkReporter({ stdout: asStream, color: false });
    for (const e of events) reporter.sink(e);
    await reporter.done();
    for (const line of stdout.text().split('\n')) expect([...line].length, line).toBeLessThanOrEqual(80);
  });

  it('done() settles without a run, and unmounts a run that never ended', async () => {
    await createInkReporter({ stdout: terminal().asStream }).done();
    const events = await recordRun(makePlan());
    const { stdout, asStream } = terminal();
    const reporter = createInkReporter({ stdout: asStream, color: false });
    for (const e of events.slice(0, 5)) reporter.sink(e);
    await reporter.done();
    expect(stdout.text()).toContain('base');
  });

  it('redraws everything at the new width when the terminal is resized', async () => {
    const six = ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/arm/v6', 'linux/ppc64le', 'linux/s390x'];
    const config = { ...userConfig, images: { base: { ...userConfig.images.base, platforms: six } } };
    const events = await recordRun(makePlan(config, { builder: { kind: 'buildx', description: 'x', nativePlatform: 'linux/amd64', emulated: ['aarch64', 'arm', 'ppc64le', 's390x'] } }));
    const { stdout, asStream } = terminal();
    const reporter = createInkReporter({ stdout: asStream, color: false, now: () => events[0]!.at });
    for (const e of events.slice(0, 6)) reporter.sink(e);
    await sleep(120);
    const before = stdout.chunks.length;
    stdout.columns = 44;
    stdout.emit('resize');
    await sleep(120);
    // The visible screen is erased (never with ESC[2J or ESC[3J: the scrollback stays) and
    // everything drawn again at the new width, the header too.
    const raw = stdout.chunks.slice(before).join('');
    expect(raw).toMatch(/\u001b\[\d+A\r\u001b\[J/);
    expect(raw).not.toMatch(/\u001b\[[23]J/);
    const after = stripAnsi(raw.slice(raw.lastIndexOf('\r\u001b[J') + '\r\u001b[J'.length)).replace(/\u001b\[[?0-9;]*[A-Za-z]/g, '');
    expect(after).toContain('multiarch  19 steps from /work/');
    if (!inkHoldsFrames) expect(after).toContain('push local');
    for (const line of after.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(44);
    for (const e of events.slice(6)) reporter.sink(e);
    await reporter.done();
    expect(stdout.listenerCount('resize')).toBe(0);
  });

  it('shows that it is stopping as soon as the run is interrupted', async () => {
    const events = await recordRun(makePlan(), { cancelAt: 'test:base@linux/arm64' });
    const { stdout, asStream } = terminal();
    const controller = new AbortController();
    const reporter = createInkReporter({ stdout: asStream, color: false, signal: controller.signal, now: () => events[0]!.at });
    for (const e of events.slice(0, 4)) reporter.sink(e);
    controller.abort();
    await sleep(120);
    if (!inkHoldsFrames) expect(stdout.text()).toContain('■ Stopping: canceling 1 running step');
    for (const e of events.slice(4)) reporter.sink(e);
    await reporter.done();
    expect(stdout.text()).toMatch(/Canceled after [\d.]+s: /);
    expect(stdout.text()).toContain('Interrupted: steps not yet started were canceled');
  });
});
