/**
 * Credentials come from where `docker login` put them — or from a credential helper on PATH, or
 * from `aws ecr get-login-password` for an ECR-style registry — and never show up in any output: a
 * push to a registry with htpasswd auth, in plain and JSON output; a wrong password fails clearly
 * and writes nothing.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { multiarch } from './support/cli.js';
import { docker } from './support/docker.js';
import { testEnv } from './support/env.js';
import { imageFixture } from './support/config-fixture.js';
import { listTags } from './support/registry.js';
import { startScratchRegistry } from './support/scratch-registry.js';

const configDirs: string[] = [];
afterAll(() => configDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function fixture(repo: string, registry: Record<string, unknown> = { url: testEnv().authRegistry, insecure: true }): string {
  const { baseImage } = testEnv();
  return imageFixture({
    registry: testEnv().authRegistry,
    registryConfig: registry,
    repository: repo,
    context: { Dockerfile: `FROM ${baseImage}\nRUN echo secret-free > /note\n` },
    image: { test: { command: ['cat', '/note'] } },
  });
}

function secretForms(user: string, password: string): string[] {
  return [password, Buffer.from(`${user}:${password}`).toString('base64'), Buffer.from(password).toString('base64')];
}

/** The secret scan: no form of the password and no Authorization value in any output. */
function expectNoSecret(outputs: readonly string[], user: string, password: string): void {
  for (const output of outputs) {
    for (const secret of secretForms(user, password)) expect(output).not.toContain(secret);
    expect(output).not.toMatch(/authorization"?\s*[:=]\s*"?(basic|bearer)\s+[a-z0-9]/i);
  }
}

/** A bin directory with executable scripts, to put first on PATH. */
function binDir(scripts: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'multiarch-bin-'));
  configDirs.push(dir);
  for (const [name, body] of Object.entries(scripts)) {
    writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}`);
    chmodSync(path.join(dir, name), 0o755);
  }
  return dir;
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
    expectNoSecret([plain.all, json.all], authUser, authPassword);
  });

  it('asks the credential helper config.json names for the registry (the real protocol, on PATH)', async () => {
    const { authRegistry, authUser, authPassword, authPasswordFile } = testEnv();
    const dockerConfig = mkdtempSync(path.join(os.tmpdir(), 'multiarch-dockercfg-'));
    configDirs.push(dockerConfig);
    writeFileSync(path.join(dockerConfig, 'config.json'), JSON.stringify({ credHelpers: { [authRegistry]: 'multiarch-e2e' } }));
    const asked = path.join(dockerConfig, 'asked.log');
    // docker-credential-<name> get: the server URL on stdin, {ServerURL, Username, Secret} on stdout.
    const bin = binDir({
      'docker-credential-multiarch-e2e': `[ "$1" = get ] || exit 2
read server
echo "$server" >> '${asked}'
if [ "$server" = '${authRegistry}' ]; then
  printf '{"ServerURL":"%s","Username":"${authUser}","Secret":"%s"}\n' "$server" "$(cat '${authPasswordFile}')"
else
  echo 'credentials not found in native keychain'; exit 1
fi
`,
    });
    const repo = `e2e/auth-helper-${Date.now()}`;
    const env = { DOCKER_CONFIG: dockerConfig, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
    const plain = await multiarch(['apply', '--verbose'], { cwd: fixture(repo), env });
    expect(plain.exitCode, plain.all).toBe(0);
    const json = await multiarch(['apply', '--json'], { cwd: fixture(repo), env });
    expect(json.exitCode, json.all).toBe(0);
    expect(readFileSync(asked, 'utf8').trim().split('\n')).toEqual([authRegistry, authRegistry]);
    expect(await listTags(`${authRegistry}/${repo}`, { creds: { user: authUser, password: authPassword } })).toEqual(['v1', 'v1-linux-amd64', 'v1-linux-arm64']);
    expectNoSecret([plain.all, json.all], authUser, authPassword);
  });

  it('logs in to an ECR-style registry with aws ecr get-login-password (region and profile from the config)', async () => {
    // What the real CLI prints: one base64 line; the registry (like ECR) takes it as the password of user AWS.
    const token = randomBytes(96).toString('base64');
    const ecr = await startScratchRegistry({ user: 'AWS', password: token });
    const logDir = mkdtempSync(path.join(os.tmpdir(), 'multiarch-aws-'));
    configDirs.push(logDir);
    mkdirSync(path.join(logDir, 'docker'));
    const bin = binDir({
      aws: `echo "$*" >> '${logDir}/argv.log'
[ "$1 $2" = "ecr get-login-password" ] || { echo "unexpected: $*" >&2; exit 252; }
echo '${token}'
`,
    });
    const repo = `e2e/ecr-${Date.now()}`;
    const env = { DOCKER_CONFIG: path.join(logDir, 'docker'), PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
    const dir = fixture(repo, { url: ecr.host, insecure: true, auth: { ecr: { region: 'us-west-2', profile: 'e2e' } } });
    const plain = await multiarch(['apply', '--verbose'], { cwd: dir, env });
    expect(plain.exitCode, plain.all).toBe(0);
    const json = await multiarch(['apply', '--json'], { cwd: dir, env });
    expect(json.exitCode, json.all).toBe(0);
    // Asked once per run, for the configured region and profile.
    expect(readFileSync(path.join(logDir, 'argv.log'), 'utf8').trim().split('\n')).toEqual([
      'ecr get-login-password --region us-west-2 --profile e2e',
      'ecr get-login-password --region us-west-2 --profile e2e',
    ]);
    expect(await listTags(`${ecr.host}/${repo}`, { creds: { user: 'AWS', password: token } })).toEqual(['v1', 'v1-linux-amd64', 'v1-linux-arm64']);
    expectNoSecret([plain.all, json.all], 'AWS', token);
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
    expectNoSecret([run.all], authUser, wrong);
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
