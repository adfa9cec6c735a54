/** Ctrl-C during builds: running builds stop, nothing new starts, no index is written, exit 130. */
import { describe, expect, it } from 'vitest';
import { parseEvents, startMultiarch } from './support/cli.js';
import { docker } from './support/docker.js';
import { testEnv } from './support/env.js';
import { imageFixture } from './support/config-fixture.js';
import { listTags } from './support/registry.js';

describe('interrupting apply', () => {
  it('cancels running builds and publishes nothing', async () => {
    const { registry, baseImage } = testEnv();
    const repo = `e2e/cancel-${Date.now()}`;
    const dir = imageFixture({
      registry,
      repository: repo,
      context: { Dockerfile: `FROM ${baseImage}\nARG STAMP\nRUN echo "$STAMP" && sleep 60\n` },
      image: { args: { STAMP: repo } },
    });
    const child = startMultiarch(['apply', '--json'], { cwd: dir });
    let seen = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no build started:\n${seen}`)), 60_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        // Both builds are running the 60 s step.
        if ((seen.match(/"type":"node:output"[^\n]*RUN echo[^\n]*sleep 60/g) ?? []).length >= 2) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const interruptedAt = Date.now();
    child.kill('SIGINT');
    const result = await child;
    expect(Date.now() - interruptedAt).toBeLessThan(30_000);
    expect(result.exitCode).toBe(130);
    const events = parseEvents(result.stdout);
    const statuses = new Map(events.filter((e) => e.type === 'node:end').map((e) => [e.id as string, e.status as string]));
    expect(statuses.get('build:app@linux/amd64')).toBe('canceled');
    expect(statuses.get('build:app@linux/arm64')).toBe('canceled');
    expect(statuses.get('index:app:v1->local')).toBe('canceled');
    expect(await listTags(`${registry}/${repo}`)).toEqual([]);
    // The build's RUN container is gone too.
    const running = await docker(['ps', '--format', '{{.Command}}']);
    expect(running).not.toContain(repo);
  });
});
