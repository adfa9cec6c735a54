/**
 * Atomicity: a platform whose test fails is not pushed, and no multi-arch index is written for an
 * image with a failed platform, while the platform that passed may still be pushed on its own tag.
 */
import { describe, expect, it } from 'vitest';
import { multiarch, parseEvents } from './support/cli.js';
import { testEnv } from './support/env.js';
import { imageFixture } from './support/config-fixture.js';
import { listTags } from './support/registry.js';

describe('a failing test on one platform', () => {
  it('publishes no index', async () => {
    const { registry, baseImage } = testEnv();
    const repo = `e2e/failing-${Date.now()}`;
    const dir = imageFixture({
      registry,
      repository: repo,
      context: { Dockerfile: `FROM ${baseImage}\nRUN echo ok > /ok\n` },
      // Passes only on x86_64: the arm64 image fails its check.
      image: { test: { command: ['sh', '-c', 'uname -m; test "$(uname -m)" = x86_64'] } },
    });
    const run = await multiarch(['apply', '--json'], { cwd: dir });
    expect(run.exitCode).toBe(1);
    const events = parseEvents(run.stdout);
    const end = (id: string) => events.find((e) => e.type === 'node:end' && e.id === id) as { status: string; error?: { message: string }; reason?: string } | undefined;
    expect(end('test:app@linux/arm64')?.status).toBe('failed');
    expect(end('test:app@linux/arm64')?.error?.message).toContain('exited 1 on linux/arm64');
    expect(end('push:app@linux/arm64->local')?.status).toBe('skipped');
    expect(end('index:app:v1->local')?.status).toBe('skipped');
    expect(end('index:app:v1->local')?.reason).toBe('test:app@linux/arm64');
    expect(end('push:app@linux/amd64->local')?.status).toBe('succeeded');
    const tags = await listTags(`${registry}/${repo}`);
    expect(tags).toEqual(['v1-linux-amd64']);
    expect(tags).not.toContain('v1');
    const summary = events.at(-1) as { type: string; summary: { status: string; published: Array<{ ref: string }> } };
    expect(summary.type).toBe('run:end');
    expect(summary.summary.status).toBe('failed');
    expect(summary.summary.published.map((p) => p.ref)).toEqual([`${registry}/${repo}:v1-linux-amd64`]);
  });
});

describe('a test command the image does not have', () => {
  it('says the command is not in the image for that platform', async () => {
    const { registry, baseImage } = testEnv();
    const repo = `e2e/no-command-${Date.now()}`;
    const dir = imageFixture({
      registry,
      repository: repo,
      platforms: ['linux/amd64'],
      context: { Dockerfile: `FROM ${baseImage}\n` },
      image: { test: { command: ['no-such-command', '--version'] } },
    });
    const run = await multiarch(['apply', '--json'], { cwd: dir });
    expect(run.exitCode).toBe(1);
    const events = parseEvents(run.stdout);
    const end = events.find((e) => e.type === 'node:end' && e.id === 'test:app@linux/amd64') as { status: string; error?: { message: string; hint?: string } } | undefined;
    expect(end?.status).toBe('failed');
    expect(end?.error?.message).toBe('the command `no-such-command` is not in the image for linux/amd64 (exit 127)');
    expect(end?.error?.hint).toContain('install it in the image');
    expect(await listTags(`${registry}/${repo}`)).toEqual([]);
  });
});
