/**
 * Annotations and digest-only platform images against the real registry: the index and each
 * platform manifest carry the config's annotations (read back as stored); `platformTag: false`
 * leaves only the index tags in tags/list; changing an index annotation updates the index and
 * builds nothing.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { multiarch, parseEvents } from './support/cli.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';
import { isIndex, listTags, skopeoInspectRaw, type ImageIndex } from './support/registry.js';

const stamp = Date.now();
let dir: string;
let repo: string;

const config = (team: string) => `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { local: { url: '${testEnv().registry}', insecure: true } },
  images: {
    app: {
      context: './app',
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: ['v1', 'latest'],
      annotations: { index: { 'org.example.team': '${team}' }, manifest: { 'org.opencontainers.image.vendor': 'Acme' } },
      publish: [{ registry: 'local', repository: '${repo}', platformTag: false }],
    },
  },
});
`;

beforeAll(() => {
  repo = `e2e/config17-annotations-${stamp}`;
  dir = makeFixture({ 'app/Dockerfile': `FROM ${testEnv().baseImage}\nRUN echo ${stamp} > /stamp\n`, 'multiarch.config.ts': config('web') });
});

const indexAt = async (tag: string) => {
  const m = await skopeoInspectRaw(`${testEnv().registry}/${repo}:${tag}`);
  if (!isIndex(m)) throw new Error('expected an index');
  return m as ImageIndex & { annotations?: Record<string, string> };
};

describe('annotations and platformTag: false', () => {
  it('writes annotations on the index and each platform manifest; only index tags exist', async () => {
    const r = await multiarch(['apply'], { cwd: dir });
    expect(r.exitCode, r.all).toBe(0);
    const index = await indexAt('v1');
    expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(index.annotations?.['org.example.team']).toBe('web');
    for (const child of index.manifests) {
      const m = (await skopeoInspectRaw(`${testEnv().registry}/${repo}@${child.digest}`)) as { annotations?: Record<string, string>; mediaType?: string };
      expect(m.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
      expect(m.annotations).toEqual({ 'org.opencontainers.image.vendor': 'Acme' });
    }
    expect(await listTags(`${testEnv().registry}/${repo}`)).toEqual(['latest', 'v1']);
  });

  it('an index annotation change is an index update, no build', async () => {
    writeFileSync(path.join(dir, 'multiarch.config.ts'), config('platform'));
    const plan = await multiarch(['plan', '--json'], { cwd: dir });
    expect(plan.exitCode, plan.all).toBe(0);
    const changes = (JSON.parse(plan.stdout) as { changes: { summary: Record<string, number> } }).changes;
    expect(changes.summary).toMatchObject({ build: 0, push: 0, indexUpdate: 2 });
    const applied = await multiarch(['apply', '--json'], { cwd: dir });
    expect(applied.exitCode, applied.all).toBe(0);
    const events = parseEvents(applied.stdout);
    // No build ran (a build that runs streams its output); each is reported cached.
    expect(events.filter((e) => e.type === 'node:output' && String(e.id).startsWith('build:'))).toEqual([]);
    const ends = events.filter((e) => e.type === 'node:end' && String(e.id).startsWith('build:')).map((e) => e.status);
    expect(ends).toEqual(['cached', 'cached']);
    expect((await indexAt('v1')).annotations?.['org.example.team']).toBe('platform');
  });
});
