/**
 * `apply --json` on a real engine and registry: every line of stdout is an event valid against
 * docs/schema/events.schema.json (nothing else is printed there), builds report their Dockerfile
 * step, pushes their bytes sent; a second run finds the builds in BuildKit's cache and credits
 * the time saved against the first run. Failures before a run print one `error` line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { multiarch, parseEvents, startMultiarch } from './support/cli.js';
import { imageFixture } from './support/config-fixture.js';
import { listTags } from './support/registry.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';

type Event = ReturnType<typeof parseEvents>[number];

function validator() {
  const schema = JSON.parse(readFileSync(path.join(testEnv().root, 'docs/schema/events.schema.json'), 'utf8')) as object;
  const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
  return (line: string) => {
    const ok = validate(JSON.parse(line));
    return ok ? null : { line: line.slice(0, 300), errors: validate.errors };
  };
}

describe('apply --json', () => {
  it('streams schema-valid events only, with step and byte progress, and credits cached builds on a second run', async () => {
    const { registry, baseImage } = testEnv();
    const repo = `e2e/json-${Date.now()}`;
    const dir = makeFixture({
      // A layer of a few hundred kB, so the push has bytes to count.
      'app/Dockerfile': `FROM ${baseImage}\nARG STAMP\nRUN echo "$STAMP" > /stamp && dd if=/dev/urandom of=/blob bs=1024 count=600 2>/dev/null\n`,
      'multiarch.config.ts': `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { local: { url: '${registry}', insecure: true } },
  images: {
    app: {
      context: './app',
      platforms: ['linux/amd64', 'linux/arm64'],
      args: { STAMP: '${repo}' },
      tags: ['v1'],
      test: { command: ['cat', '/stamp'], expectOutput: '${repo}' },
      publish: [{ registry: 'local', repository: '${repo}' }],
    },
  },
});
`,
    });
    const check = validator();
    const first = await multiarch(['apply', '--json'], { cwd: dir });
    expect(first.exitCode, first.stderr).toBe(0);
    const lines = first.stdout.split('\n').filter(Boolean);
    for (const line of lines) expect(check(line)).toBeNull();
    const events = parseEvents(first.stdout);
    expect(events[0]!.type).toBe('run:start');
    expect(events.at(-1)!.type).toBe('run:end');

    const progress = (id: string) => events.filter((e): e is Event & { current?: number; total?: number; unit?: string; message: string } => e.type === 'node:progress' && e.id === id);
    expect(progress('build:app@linux/arm64').some((e) => e.unit === 'steps' && /^\[2\/2\] RUN echo/.test(e.message) && e.current === 2 && e.total === 2)).toBe(true);
    const push = progress('push:app@linux/amd64->local').filter((e) => e.unit === 'bytes');
    expect(push.length).toBeGreaterThan(1);
    const last = push.at(-1)!;
    expect(last.total).toBeGreaterThan(600 * 1024);
    expect(last.current).toBe(last.total);
    expect(push.map((e) => e.current)).toEqual([...push.map((e) => e.current!)].sort((a, b) => a - b));

    // Same config again: BuildKit has every step, so the builds are cached, and the summary
    // credits them with what the first run took.
    const second = await multiarch(['apply', '--json'], { cwd: dir });
    expect(second.exitCode, second.stderr).toBe(0);
    for (const line of second.stdout.split('\n').filter(Boolean)) expect(check(line)).toBeNull();
    const end = parseEvents(second.stdout).at(-1) as Event & { summary: { savedMs?: number; nodes: Array<{ id: string; status: string; savedMs?: number }> } };
    const build = end.summary.nodes.find((n) => n.id === 'build:app@linux/arm64')!;
    expect(build.status).toBe('cached');
    expect(build.savedMs).toBeGreaterThanOrEqual(0);
    expect(end.summary.savedMs).toBeGreaterThanOrEqual(build.savedMs!);
    expect(end.summary.nodes.find((n) => n.id === 'index:app:v1->local')!.status).toBe('cached'); // the registry already holds that index: nothing rewritten
  });

  it('prints one error line, and nothing else, when the command fails before a run', async () => {
    const check = validator();
    for (const args of [['apply', '--json', '--no-such-flag'], ['apply', '--json', '--config', 'does-not-exist.config.ts']]) {
      const run = await multiarch(args);
      expect(run.exitCode).toBe(1);
      const lines = run.stdout.split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(check(lines[0]!)).toBeNull();
      expect(JSON.parse(lines[0]!)).toMatchObject({ type: 'error', error: { code: expect.stringMatching(/^E_/) } });
    }
  });
});

describe('apply --json read by a consumer that stops early', () => {
  it('finishes the run and publishes the index when its reader goes away after the first line', async () => {
    const { registry, baseImage } = testEnv();
    const repo = `e2e/json-early-${Date.now()}`;
    const dir = imageFixture({ registry, repository: repo, context: { Dockerfile: `FROM ${baseImage}\nRUN echo ${repo} > /stamp\n` } });
    // `multiarch apply --json | head -1`: the pipe closes while every step is still to come.
    const child = startMultiarch(['apply', '--json'], { cwd: dir });
    const first = await new Promise<string>((resolve) => {
      let buffered = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        if (buffered.includes('\n')) {
          child.stdout!.destroy();
          resolve(buffered.slice(0, buffered.indexOf('\n')));
        }
      });
    });
    expect(JSON.parse(first)).toMatchObject({ type: 'run:start' });
    const result = await child;
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(await listTags(`${registry}/${repo}`)).toContain('v1');
  });
});
