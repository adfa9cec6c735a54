import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { dockerConfigPath, resolveCredential } from '../../../src/registry/credentials.js';
import { clearSecrets, redact } from '../../../src/sys/redact.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'multiarch-creds-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
beforeEach(() => clearSecrets());

/**
 * A real credential helper, `docker-credential-fake`: the server URL on stdin, JSON on stdout,
 * "credentials not found" and exit 1 for servers it does not know. It logs every URL it is asked for.
 */
const bin = path.join(root, 'bin');
const askedLog = path.join(root, 'helper-asked.log');
fs.mkdirSync(bin);
fs.writeFileSync(
  path.join(bin, 'docker-credential-fake'),
  `#!/bin/sh
[ "$1" = get ] || { echo "unsupported: $1" >&2; exit 2; }
server=$(cat)
echo "$server" >> '${askedLog}'
case "$server" in
  ghcr.io) printf '{"ServerURL":"%s","Username":"octocat","Secret":"ghp_helperSecret123"}\\n' "$server" ;;
  https://index.docker.io/v1/) printf '{"ServerURL":"%s","Username":"<token>","Secret":"dckr_identityTokenXYZ"}\\n' "$server" ;;
  broken.example.com) echo 'not json' ;;
  crash.example.com) echo 'keychain locked' >&2; exit 3 ;;
  *) echo 'credentials not found in native keychain'; exit 1 ;;
esac
`,
);
fs.chmodSync(path.join(bin, 'docker-credential-fake'), 0o755);

let n = 0;
/** A DOCKER_CONFIG directory holding `config` as config.json; the env resolveCredential gets. */
function dockerConfig(config: unknown): NodeJS.ProcessEnv {
  const dir = path.join(root, `config-${++n}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return { DOCKER_CONFIG: dir, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
}
const b64 = (s: string) => Buffer.from(s).toString('base64');
const asked = () => (fs.existsSync(askedLog) ? fs.readFileSync(askedLog, 'utf8').trim().split('\n') : []);

describe('resolveCredential: auths', () => {
  it('decodes the base64 auth of the registry and hides it from then on', async () => {
    const env = dockerConfig({ auths: { '127.0.0.1:5000': { auth: b64('ci-bot:s3cret-pass') } } });
    const credential = await resolveCredential('127.0.0.1:5000', env);
    expect(credential).toEqual({ kind: 'basic', username: 'ci-bot', password: 's3cret-pass', source: `${env.DOCKER_CONFIG}/config.json auths` });
    expect(redact('pushing with s3cret-pass')).toBe('pushing with ***');
    expect(redact(`Authorization: Basic ${b64('ci-bot:s3cret-pass')}`)).not.toContain(b64('ci-bot:s3cret-pass'));
    expect(redact(`"auth": "${b64('ci-bot:s3cret-pass')}"`)).toBe('"auth": "***"');
    expect(redact(`log line ${b64('ci-bot:s3cret-pass')}`)).toBe('log line ***');
  });

  it('matches keys written as URLs and as host:port alike', async () => {
    const env = dockerConfig({ auths: { 'https://127.0.0.1:5000': { auth: b64('u:url-key-pass') } } });
    expect(await resolveCredential('127.0.0.1:5000', env)).toMatchObject({ kind: 'basic', username: 'u', password: 'url-key-pass' });
    const env2 = dockerConfig({ auths: { 'http://127.0.0.1:5000/v2/': { auth: b64('u:v2-path-pass') } } });
    expect(await resolveCredential('127.0.0.1:5000', env2)).toMatchObject({ password: 'v2-path-pass' });
    const env3 = dockerConfig({ auths: { '127.0.0.1:5000': { auth: b64('u:p4ss') } } });
    expect(await resolveCredential('127.0.0.1:5001', env3)).toBeUndefined();
    expect(await resolveCredential('127.0.0.1', env3)).toBeUndefined();
  });

  it('finds Docker Hub under its https://index.docker.io/v1/ key', async () => {
    const env = dockerConfig({ auths: { 'https://index.docker.io/v1/': { auth: b64('hubuser:hub-password') }, 'ghcr.io': { auth: b64('x:y-other') } } });
    expect(await resolveCredential('https://index.docker.io/v1/', env)).toMatchObject({ username: 'hubuser', password: 'hub-password' });
  });

  it('keeps a password that contains a colon whole', async () => {
    const env = dockerConfig({ auths: { 'r.example.com': { auth: b64('user:pa:ss:word') } } });
    expect(await resolveCredential('r.example.com', env)).toMatchObject({ username: 'user', password: 'pa:ss:word' });
  });

  it('reads an identity token (an OAuth refresh token) and hides it', async () => {
    const env = dockerConfig({ auths: { 'myregistry.azurecr.io': { auth: b64('00000000-0000-0000-0000-000000000000:'), identitytoken: 'eyJhbGciOiJSUzI1NiJ9.refresh' } } });
    expect(await resolveCredential('myregistry.azurecr.io', env)).toEqual({
      kind: 'identity-token',
      token: 'eyJhbGciOiJSUzI1NiJ9.refresh',
      source: `${env.DOCKER_CONFIG}/config.json auths`,
    });
    expect(redact('token eyJhbGciOiJSUzI1NiJ9.refresh')).toBe('token ***');
  });

  it('reads plain username and password fields', async () => {
    const env = dockerConfig({ auths: { 'r.example.com': { username: 'plain', password: 'plain-password' } } });
    expect(await resolveCredential('r.example.com', env)).toMatchObject({ kind: 'basic', username: 'plain', password: 'plain-password' });
    expect(redact('x plain-password y')).toBe('x *** y');
  });

  it('has nothing for a registry without an entry, or without a config file', async () => {
    expect(await resolveCredential('ghcr.io', dockerConfig({ auths: { 'quay.io': { auth: b64('a:bcdef') } } }))).toBeUndefined();
    expect(await resolveCredential('ghcr.io', { DOCKER_CONFIG: path.join(root, 'does-not-exist') })).toBeUndefined();
  });

  it('says which file is broken', async () => {
    const env = dockerConfig('{ "auths": ');
    await expect(resolveCredential('ghcr.io', env)).rejects.toMatchObject({
      code: 'E_REGISTRY_AUTH',
      message: expect.stringContaining(`cannot read ${env.DOCKER_CONFIG}/config.json`),
      hint: 'fix or remove the file, then `docker login` again',
    });
  });

  it('reads config.json from DOCKER_CONFIG, else ~/.docker', () => {
    expect(dockerConfigPath({ DOCKER_CONFIG: '/ci/docker' })).toBe('/ci/docker/config.json');
    expect(dockerConfigPath({})).toBe(path.join(os.homedir(), '.docker', 'config.json'));
  });
});

describe('resolveCredential: credential helpers', () => {
  it('asks the registry’s credHelpers entry, sending the key on stdin, and hides the secret', async () => {
    const env = dockerConfig({ credHelpers: { 'ghcr.io': 'fake' }, auths: { 'ghcr.io': { auth: b64('ignored:ignored-pass') } } });
    expect(await resolveCredential('ghcr.io', env)).toEqual({ kind: 'basic', username: 'octocat', password: 'ghp_helperSecret123', source: 'credential helper docker-credential-fake' });
    expect(asked().at(-1)).toBe('ghcr.io');
    expect(redact('{"Secret":"x"} and ghp_helperSecret123')).toBe('{"Secret":"***"} and ***');
  });

  it('turns the <token> user into an identity token', async () => {
    const env = dockerConfig({ credsStore: 'fake' });
    expect(await resolveCredential('https://index.docker.io/v1/', env)).toEqual({
      kind: 'identity-token',
      token: 'dckr_identityTokenXYZ',
      source: 'credential helper docker-credential-fake',
    });
    expect(redact('dckr_identityTokenXYZ')).toBe('***');
  });

  it('falls back to the credsStore when auths has an entry without a secret (what docker login leaves)', async () => {
    const env = dockerConfig({ auths: { 'ghcr.io': {} }, credsStore: 'fake' });
    expect(await resolveCredential('ghcr.io', env)).toMatchObject({ username: 'octocat', password: 'ghp_helperSecret123' });
  });

  it('prefers a secret in auths over the credsStore', async () => {
    const env = dockerConfig({ auths: { 'ghcr.io': { auth: b64('inline:inline-secret') } }, credsStore: 'fake' });
    expect(await resolveCredential('ghcr.io', env)).toMatchObject({ username: 'inline', password: 'inline-secret' });
  });

  it('has nothing when the helper knows no credentials for the server', async () => {
    const env = dockerConfig({ credsStore: 'fake' });
    expect(await resolveCredential('quay.io', env)).toBeUndefined();
    expect(asked().at(-1)).toBe('quay.io');
  });

  it('fails with how to reproduce when the helper fails, prints garbage, or is missing', async () => {
    await expect(resolveCredential('crash.example.com', dockerConfig({ credsStore: 'fake' }))).rejects.toMatchObject({
      code: 'E_REGISTRY_AUTH',
      message: 'the credential helper docker-credential-fake failed for crash.example.com',
      hint: 'run `echo crash.example.com | docker-credential-fake get` to see why',
    });
    await expect(resolveCredential('broken.example.com', dockerConfig({ credsStore: 'fake' }))).rejects.toMatchObject({
      code: 'E_REGISTRY_AUTH',
      message: 'the credential helper docker-credential-fake printed something that is not JSON',
    });
    await expect(resolveCredential('ghcr.io', dockerConfig({ credHelpers: { 'ghcr.io': 'nonexistent-helper' } }))).rejects.toMatchObject({
      code: 'E_REGISTRY_AUTH',
      message: 'the credential helper docker-credential-nonexistent-helper failed for ghcr.io',
    });
  });
});
