/**
 * What is current on one registry is copied to another without building (`→ copy`), and a new tag
 * of a current image is a retag (`~ retag`): manifests written, no builder invocation; afterwards
 * both registries hold the same digests and the next plan changes nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { multiarch, parseEvents } from './support/cli.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';
import { listTags, skopeoInspectRaw } from './support/registry.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface ChangesJson {
  platforms: Array<{ platform: string; action: string }>;
  indexes: Array<{ ref: string; action: string }>;
  summary: { build: number; push: number };
}

function config(registry: string, authRegistry: string, repo: string, { mirror, tags }: { mirror: boolean; tags: string[] }): string {
  return `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { local: { url: '${registry}', insecure: true }, mirror: { url: '${authRegistry}', insecure: true } },
  images: {
    app: {
      context: './app',
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: ${JSON.stringify(tags)},
      publish: [{ registry: 'local', repository: '${repo}' }${mirror ? `, { registry: 'mirror', repository: '${repo}' }` : ''}],
    },
  },
});
`;
}

describe('copies and retags', () => {
  it('copies to a registry that lacks the image, retags a new tag, and builds nothing', async () => {
    const { registry, authRegistry, authUser, authPassword, baseImage } = testEnv();
    const dockerConfig = mkdtempSync(path.join(os.tmpdir(), 'multiarch-dockercfg-'));
    dirs.push(dockerConfig);
    writeFileSync(path.join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [authRegistry]: { auth: Buffer.from(`${authUser}:${authPassword}`).toString('base64') } } }));
    const env = { DOCKER_CONFIG: dockerConfig };
    const repo = `e2e/incremental-copy-${Date.now()}`;
    const dir = makeFixture({ 'app/Dockerfile': `FROM ${baseImage}\nCOPY hello.txt /hello.txt\n`, 'app/hello.txt': 'hello\n', 'multiarch.config.ts': config(registry, authRegistry, repo, { mirror: false, tags: ['v1'] }) });
    const first = await multiarch(['apply'], { cwd: dir, env });
    expect(first.exitCode, first.all).toBe(0);

    // A second registry, and a second tag.
    writeFileSync(path.join(dir, 'multiarch.config.ts'), config(registry, authRegistry, repo, { mirror: true, tags: ['v1', 'stable'] }));
    const planned = await multiarch(['plan', '--json'], { cwd: dir, env });
    expect(planned.exitCode, planned.all).toBe(0);
    const changes = (JSON.parse(planned.stdout) as { changes: ChangesJson }).changes;
    expect(changes.platforms.map((p) => p.action)).toEqual(['copy', 'copy']);
    expect(changes.summary).toMatchObject({ build: 0, push: 4 });
    const text = await multiarch(['plan'], { cwd: dir, env });
    expect(text.stdout).toMatch(/→ linux\/amd64 {2}copy/);
    expect(text.stdout).toMatch(/→ push {2}linux\/amd64 → mirror {2}copy sha256:\w{12} from local\n\s+127\.0\.0\.1:\d+\/e2e\/incremental-copy-\d+:v1-linux-amd64/);
    expect(text.stdout).toMatch(/~ push {2}linux\/amd64 → local {2}retag sha256:\w+\n\s+127\.0\.0\.1:\d+\/e2e\/incremental-copy-\d+:stable-linux-amd64/);

    const applied = await multiarch(['apply', '--json'], { cwd: dir, env });
    expect(applied.exitCode, applied.all).toBe(0);
    const events = parseEvents(applied.stdout);
    const status = (id: string) => (events.find((e) => e.type === 'node:end' && e.id === id) as { status?: string } | undefined)?.status;
    expect([status('build:app@linux/amd64'), status('build:app@linux/arm64')]).toEqual(['cached', 'cached']);
    expect(status('push:app@linux/arm64->mirror')).toBe('succeeded');
    expect(events.filter((e) => e.type === 'node:output' && String(e.id).startsWith('build:'))).toEqual([]);

    const creds = { creds: { user: authUser, password: authPassword } };
    expect((await listTags(`${authRegistry}/${repo}`, creds)).sort()).toEqual(['stable', 'stable-linux-amd64', 'stable-linux-arm64', 'v1', 'v1-linux-amd64', 'v1-linux-arm64']);
    expect((await listTags(`${registry}/${repo}`)).sort()).toEqual(['stable', 'stable-linux-amd64', 'stable-linux-arm64', 'v1', 'v1-linux-amd64', 'v1-linux-arm64']);
    expect(await skopeoInspectRaw(`${authRegistry}/${repo}:v1-linux-arm64`, creds)).toEqual(await skopeoInspectRaw(`${registry}/${repo}:v1-linux-arm64`));

    const after = await multiarch(['plan', '--detailed-exitcode'], { cwd: dir, env });
    expect(after.exitCode, after.all).toBe(0);
  });
});
