/**
 * gitTags() against a real git repository, engine and registry: tags v1.2.3 and api/v2.0.0 give
 * the exact tag sets for an unprefixed and a prefixed image; a release tag on a commit already
 * published under its sha tag is a retag of the tested digests — no build runs.
 */
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { multiarch, parseEvents } from './support/cli.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';
import { listTags } from './support/registry.js';

const stamp = Date.now();
let dir: string;
let sha: string;
const webRepo = `e2e/config17-gittags-web-${stamp}`;
const apiRepo = `e2e/config17-gittags-api-${stamp}`;

const git = (...args: string[]) => execa('git', args, { cwd: dir, env: { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });

beforeAll(async () => {
  const { registry, baseImage } = testEnv();
  const image = (name: string, repo: string, rule: string) => `${name}: {
      context: './${name}',
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: gitTags(${rule}),
      publish: [{ registry: 'local', repository: '${repo}' }],
    },`;
  dir = makeFixture({
    'web/Dockerfile': `FROM ${baseImage}\nRUN echo web ${stamp} > /id\n`,
    'api/Dockerfile': `FROM ${baseImage}\nRUN echo api ${stamp} > /id\n`,
    '.gitignore': '.multiarch/\n',
    'multiarch.config.ts': `import { defineConfig, gitTags } from 'multiarch';
const semver = ['{{version}}', '{{major}}.{{minor}}', '{{major}}'];
export default defineConfig({
  registries: { local: { url: '${registry}', insecure: true } },
  images: {
    ${image('web', webRepo, "{ semver, sha: true, latest: 'auto' }")}
    ${image('api', apiRepo, "{ prefix: 'api/v', semver, sha: true }")}
  },
});
`,
  });
  await git('init', '-q', '-b', 'main');
  await git('add', '.');
  await git('commit', '-qm', 'first');
  sha = (await git('rev-parse', 'HEAD')).stdout.trim();
});

describe('gitTags', () => {
  it('without a version tag: a rule with nothing else fails naming it; sha tags are published', async () => {
    const r = await multiarch(['apply', '--json'], { cwd: dir });
    expect(r.exitCode, r.all).toBe(0);
    const short = sha.slice(0, 7);
    const { registry } = testEnv();
    expect(await listTags(`${registry}/${webRepo}`)).toEqual([`sha-${short}`, `sha-${short}-linux-amd64`, `sha-${short}-linux-arm64`]);
  });

  it('a release tag on the published sha: exact tag sets, retag only, no build', async () => {
    await git('tag', 'v1.2.3');
    await git('tag', 'api/v2.0.0');
    const plan = await multiarch(['plan'], { cwd: dir });
    expect(plan.exitCode, plan.all).toBe(0);
    const short = sha.slice(0, 7);
    // Notes wrap at the terminal width: compare with whitespace runs as one space.
    const text = plan.all.replace(/\s+/g, ' ');
    expect(text).toContain(`web: tags from git: 1.2.3, 1.2, 1 ← git tag v1.2.3 at HEAD; latest ← git tag v1.2.3 at HEAD, the highest v<version>; sha-${short} ← commit ${sha.slice(0, 12)}`);
    expect(text).toContain(`api: tags from git: 2.0.0, 2.0, 2 ← git tag api/v2.0.0 at HEAD; sha-${short} ← commit ${sha.slice(0, 12)}`);
    const json = await multiarch(['plan', '--json'], { cwd: dir });
    const changes = (JSON.parse(json.stdout) as { changes: { summary: Record<string, number>; platforms: Array<{ action: string }> } }).changes;
    expect(changes.summary.build).toBe(0);
    expect(new Set(changes.platforms.map((p) => p.action))).toEqual(new Set(['retag']));
    const applied = await multiarch(['apply', '--json'], { cwd: dir });
    expect(applied.exitCode, applied.all).toBe(0);
    const events = parseEvents(applied.stdout);
    expect(events.filter((e) => e.type === 'node:output' && String(e.id).startsWith('build:'))).toEqual([]);
    const { registry } = testEnv();
    const index = (tags: string[]) => tags.filter((t) => !t.includes('linux'));
    expect(index(await listTags(`${registry}/${webRepo}`))).toEqual(['1', '1.2', '1.2.3', 'latest', `sha-${short}`]);
    expect(index(await listTags(`${registry}/${apiRepo}`))).toEqual(['2', '2.0', '2.0.0', `sha-${short}`]);
  });

  it('a rule that matches nothing is a plan error naming it', async () => {
    await git('commit', '-q', '--allow-empty', '-m', 'second');
    const cfg = await execa('sed', ['-i', "s/{ prefix: 'api\\/v', semver, sha: true }/{ prefix: 'api\\/v', semver }/", 'multiarch.config.ts'], { cwd: dir });
    expect(cfg.exitCode).toBe(0);
    const r = await multiarch(['plan'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.all).toContain('images.api.tags: gitTags() yields no tag: no git tag api/v<version> points at');
  });
});
