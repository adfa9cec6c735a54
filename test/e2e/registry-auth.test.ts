/**
 * Credentials come from where `docker login` put them, and never show up in any output: a push to
 * a registry with htpasswd auth, in plain and JSON output; a wrong password fails clearly and
 * writes nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { multiarch } from './support/cli.js';
import { docker } from './support/docker.js';
import { testEnv } from './support/env.js';
import { imageFixture } from './support/config-fixture.js';
import { listTags } from './support/registry.js';

const configDirs: string[] = [];
afterAll(() => configDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function fixture(repo: string): string {
  const { authRegistry, baseImage } = testEnv();
  return imageFixture({
    registry: authRegistry,
    repository: repo,
    context: { Dockerfile: `FROM ${baseImage}\nRUN echo secret-free > /note\n` },
    image: { test: { command: ['cat', '/note'] } },
  });
}

function secretForms(user: string, password: string): string[] {
  return [password, Buffer.from(`${user}:${password}`).toString('base64'), Buffer.from(password).toString('base64')];
}

describe('registry credentials', () => {
  it('uses the login `docker login` stored, and prints no secret anywhere', async () => {
    const { authRegistry, authUser, authPassword } = testEnv();
    const dockerConfig = mkdtempSync(path.join(os.tmpdir(), 'multiarch-dockercfg-'));
    configDirs.push(dockerConfig);
    await docker(['--config', dockerConfig, 'login', authRegistry, '--username', authUser, '--password-stdin'], { input: authPassword });
    const repo = `e2e/auth-${Date.now()}`;
    const dir = fixture(repo);
    const creds = { user: authUser, password: authPassword };

    const plain = await multiarch(['apply', '--verbose'], { cwd: dir, env: { DOCKER_CONFIG: dockerConfig } });
    expect(plain.exitCode, plain.all).toBe(0);
    const json = await multiarch(['apply', '--json'], { cwd: dir, env: { DOCKER_CONFIG: dockerConfig } });
    expect(json.exitCode, json.all).toBe(0);
    expect((await listTags(`${authRegistry}/${repo}`, { creds })).sort()).toEqual(['v1', 'v1-linux-amd64', 'v1-linux-arm64']);
    for (const output of [plain.all, json.all]) {
      for (const secret of secretForms(authUser, authPassword)) expect(output).not.toContain(secret);
      expect(output).not.toMatch(/authorization:\s*(basic|bearer)\s+[a-z0-9]/i);
    }
  });

  it('fails with a clear message on a wrong password and writes nothing', async () => {
    const { authRegistry, authUser, authPassword } = testEnv();
    const dockerConfig = mkdtempSync(path.join(os.tmpdir(), 'multiarch-dockercfg-'));
    configDirs.push(dockerConfig);
    const wrong = 'not-the-password-9f1c';
    writeFileSync(path.join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [authRegistry]: { auth: Buffer.from(`${authUser}:${wrong}`).toString('base64') } } }));
    const repo = `e2e/auth-wrong-${Date.now()}`;
    const run = await multiarch(['apply'], { cwd: fixture(repo), env: { DOCKER_CONFIG: dockerConfig } });
    expect(run.exitCode).toBe(1);
    // Planning reads the registry first, so the refusal comes before any build: HTTP 401, with the fix.
    expect(run.all).toMatch(/E_REGISTRY_AUTH|on 127\.0\.0\.1:\d+: HTTP 401/);
    expect(run.all).toMatch(/docker login/);
    for (const secret of secretForms(authUser, wrong)) expect(run.all).not.toContain(secret);
    expect(await listTags(`${authRegistry}/${repo}`, { creds: { user: authUser, password: authPassword } })).toEqual([]);
  });

  it('fails with a login hint when no credentials are stored', async () => {
    const dockerConfig = mkdtempSync(path.join(os.tmpdir(), 'multiarch-dockercfg-'));
    configDirs.push(dockerConfig);
    const run = await multiarch(['apply'], { cwd: fixture(`e2e/auth-none-${Date.now()}`), env: { DOCKER_CONFIG: dockerConfig } });
    expect(run.exitCode).toBe(1);
    expect(run.all).toContain(`docker login ${testEnv().authRegistry}`);
  });
});
