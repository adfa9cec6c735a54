/**
 * Build secrets on the real engine and registry: a Dockerfile that mounts `token` records the
 * secret's sha256 in each platform image; the value itself is in no output, plan, saved plan, image
 * config, history or cache file (and is redacted when the build echoes it); rotating it changes
 * nothing to apply; a missing env var and an unmatched mount are plan errors naming them.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { multiarch } from './support/cli.js';
import { docker, dockerRunPlatform } from './support/docker.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';

const stamp = Date.now();
const TOKEN = `s3cr3t-token-${stamp}`;
const ROTATED = `r0tated-token-${stamp}`;
const PLATFORMS = ['linux/amd64', 'linux/arm64'];
let dir: string;
let repo: string;

function config(dockerfileSecrets = true): string {
  const { registry } = testEnv();
  return `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { local: { url: '${registry}', insecure: true } },
  images: {
    app: {
      context: './app',
      platforms: ${JSON.stringify(PLATFORMS)},
      tags: ['v1'],
      ${dockerfileSecrets ? "secrets: { token: { env: 'C17_TOKEN' } }," : ''}
      publish: [{ registry: 'local', repository: '${repo}' }],
    },
  },
});
`;
}

/** Every file under `root` whose bytes contain `needle`. */
function filesContaining(root: string, needle: string): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && readFileSync(p).includes(needle)) hits.push(p);
    }
  };
  walk(root);
  return hits;
}

beforeAll(() => {
  const { baseImage } = testEnv();
  repo = `e2e/config17-secrets-${stamp}`;
  dir = makeFixture({
    // The build echoes the value too: the output must show it redacted.
    // The stamp keeps BuildKit's cache (which, like the inputs digest, ignores secret values) out of it.
    'app/Dockerfile': `FROM ${baseImage}\nRUN --mount=type=secret,id=token : ${stamp} && sha256sum /run/secrets/token | cut -d' ' -f1 > /secret-hash && echo "token is $(cat /run/secrets/token)"\n`,
    'multiarch.config.ts': config(),
  });
});

const env = (value: string) => ({ env: { C17_TOKEN: value } });

describe('build secrets', () => {
  it('each platform image holds the secret hash; the value is nowhere', async () => {
    const applied = await multiarch(['apply', '--json'], { cwd: dir, ...env(TOKEN) });
    expect(applied.exitCode, applied.all).toBe(0);
    expect(applied.all).not.toContain(TOKEN);
    const { registry } = testEnv();
    const want = createHash('sha256').update(TOKEN).digest('hex');
    for (const platform of PLATFORMS) {
      expect((await dockerRunPlatform(`${registry}/${repo}:v1`, platform, ['cat', '/secret-hash'])).trim()).toBe(want);
    }
    const plan = await multiarch(['plan', '--json', '--out', 'saved-plan.json'], { cwd: dir, ...env(TOKEN) });
    expect(plan.exitCode, plan.all).toBe(0);
    expect(plan.all).not.toContain(TOKEN);
    // The saved plan names where the value comes from, never the value.
    expect(readFileSync(path.join(dir, 'saved-plan.json'), 'utf8')).toContain('"env": "C17_TOKEN"');
    // Saved plan, cache and state files: no file under the project holds the value.
    expect(filesContaining(dir, TOKEN)).toEqual([]);
    // Image config and history on the engine that built it.
    for (const platform of PLATFORMS) {
      const tag = `multiarch/app:v1-${platform.replaceAll('/', '-')}`;
      expect(await docker(['image', 'inspect', tag])).not.toContain(TOKEN);
      expect(await docker(['image', 'history', '--no-trunc', tag])).not.toContain(TOKEN);
    }
  });

  it('rotating the value changes nothing to apply', async () => {
    const plan = await multiarch(['plan', '--detailed-exitcode'], { cwd: dir, ...env(ROTATED) });
    expect(plan.exitCode, plan.all).toBe(0);
    expect(plan.all).not.toContain(ROTATED);
  });

  it('a missing env var and a mount the config does not give are plan errors naming them', async () => {
    const missing = await multiarch(['plan'], { cwd: dir, env: { C17_TOKEN: '' } });
    // An empty value is a value; unset it through a config pointing at another variable instead.
    expect(missing.exitCode, missing.all).toBe(0);
    const unset = makeFixture({ 'app/Dockerfile': readFileSync(path.join(dir, 'app/Dockerfile'), 'utf8'), 'multiarch.config.ts': config().replace('C17_TOKEN', 'C17_UNSET_TOKEN') });
    const r1 = await multiarch(['plan'], { cwd: unset });
    expect(r1.exitCode).toBe(1);
    expect(r1.all).toContain('images.app.secrets.token: environment variable C17_UNSET_TOKEN is not set');
    const ungiven = makeFixture({ 'app/Dockerfile': readFileSync(path.join(dir, 'app/Dockerfile'), 'utf8'), 'multiarch.config.ts': config(false) });
    const r2 = await multiarch(['plan'], { cwd: ungiven });
    expect(r2.exitCode).toBe(1);
    expect(r2.all).toContain('app/Dockerfile:2: RUN mounts secret "token", which images.app.secrets does not give');
  });
});
