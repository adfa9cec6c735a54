/**
 * The test step's two checks on a real engine: the command and the HTTP check run side by side,
 * a failing command stops the HTTP check at once (its error is the one reported), a server that
 * dies fails the HTTP check, and no test container is left behind once apply has exited.
 */
import { describe, expect, it } from 'vitest';
import { multiarch, parseEvents } from './support/cli.js';
import { imageFixture } from './support/config-fixture.js';
import { docker } from './support/docker.js';
import { testEnv } from './support/env.js';

type Event = ReturnType<typeof parseEvents>[number];

function fixture(cmd: string, command: readonly string[], http: Record<string, unknown>): string {
  const { registry, baseImage } = testEnv();
  return imageFixture({
    registry,
    repository: `e2e/checks-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
    platforms: ['linux/amd64'],
    context: {
      Dockerfile: `FROM ${baseImage}\nRUN mkdir -p /www && echo hello > /www/index.html\nCMD ${cmd}\n`,
    },
    image: { test: { command, http: { port: 80, path: '/', ...http } } },
  });
}

/** Every container, running or not, made from the image the run built. */
async function containersOf(events: readonly Event[]): Promise<string[]> {
  const built = events.find((e) => e.type === 'node:end' && e.id === 'build:app@linux/amd64') as { result?: { imageId?: string } } | undefined;
  const imageId = built?.result?.imageId;
  expect(imageId).toMatch(/^sha256:/);
  return (await docker(['ps', '--all', '--quiet', '--filter', `ancestor=${imageId!}`])).split('\n').filter(Boolean);
}

function testEnd(events: readonly Event[]) {
  return events.find((e) => e.type === 'node:end' && e.id === 'test:app@linux/amd64') as
    | { status: string; error?: { message: string }; result?: { summary?: string } }
    | undefined;
}

describe('test checks', () => {
  it('runs the command and the HTTP check side by side and removes their containers', async () => {
    // The command takes 3 s; the server answers long before that.
    const dir = fixture('["httpd", "-f", "-p", "80", "-h", "/www"]', ['sh', '-c', 'sleep 3; echo command-done'], {});
    const run = await multiarch(['apply', '--json'], { cwd: dir });
    expect(run.exitCode, run.all).toBe(0);
    const events = parseEvents(run.stdout);
    const forTest = events.filter((e) => e.id === 'test:app@linux/amd64');
    const waiting = forTest.findIndex((e) => e.type === 'node:progress' && String(e.message).startsWith('waiting for /'));
    const commandDone = forTest.findIndex((e) => e.type === 'node:output' && e.line === 'command-done');
    expect(waiting).toBeGreaterThanOrEqual(0);
    expect(commandDone).toBeGreaterThan(waiting);
    expect(testEnd(events)?.result?.summary).toBe('command-done; GET / → 200');
    expect(await containersOf(events)).toEqual([]);
  });

  it('stops the HTTP check when the command fails, and reports the command', async () => {
    // The server never listens and its check would wait 120 s: the failed command must end it.
    const dir = fixture('["sleep", "600"]', ['sh', '-c', 'echo broken; exit 3'], { timeout: 120 });
    const started = Date.now();
    const run = await multiarch(['apply', '--json'], { cwd: dir });
    expect(run.exitCode).toBe(1);
    expect(Date.now() - started).toBeLessThan(60_000);
    const events = parseEvents(run.stdout);
    expect(testEnd(events)?.status).toBe('failed');
    expect(testEnd(events)?.error?.message).toContain('exited 3 on linux/amd64');
    expect(await containersOf(events)).toEqual([]);
  });

  it('fails the HTTP check when the server exits, and removes its container', async () => {
    const dir = fixture('["sh", "-c", "echo giving up; exit 1"]', ['true'], { timeout: 60 });
    const run = await multiarch(['apply', '--json'], { cwd: dir });
    expect(run.exitCode).toBe(1);
    const events = parseEvents(run.stdout);
    expect(testEnd(events)?.status).toBe('failed');
    expect(testEnd(events)?.error?.message).toContain('the container exited before answering on port 80');
    expect(await containersOf(events)).toEqual([]);
  });
});
