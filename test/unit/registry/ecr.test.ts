import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ecrLoginCommand, parseEcrPassword, resolveEcrCredential } from '../../../src/registry/ecr.js';
import { clearSecrets, redact } from '../../../src/sys/redact.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'multiarch-ecr-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
beforeEach(() => clearSecrets());

const REGISTRY = '123456789012.dkr.ecr.us-west-2.amazonaws.com';
/** What `aws ecr get-login-password` prints: one base64 line (a JSON envelope in real life). */
const TOKEN = Buffer.from(JSON.stringify({ payload: 'x'.repeat(64), datakey: 'y'.repeat(32), version: '2', type: 'DATA_KEY', expiration: 1767225600 })).toString('base64');

function script(dir: string, name: string, body: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}`);
  fs.chmodSync(path.join(dir, name), 0o755);
}

/** A bin dir with an `aws` replaying the real CLI: the token on stdout, or its "no credentials" failure. */
function awsBin(name: string, fail = false): { env: NodeJS.ProcessEnv; log: string } {
  const dir = path.join(root, name);
  const log = path.join(dir, 'argv.log');
  script(
    dir,
    'aws',
    `echo "$* profile=$AWS_PROFILE region=$AWS_REGION" >> '${log}'
${fail ? `echo 'Unable to locate credentials. You can configure credentials by running "aws configure".' >&2; exit 255` : `echo '${TOKEN}'`}
`,
  );
  return { env: { PATH: `${dir}${path.delimiter}/usr/bin${path.delimiter}/bin` }, log };
}

describe('ECR logins', () => {
  it('builds the aws call and reads its password', () => {
    expect(ecrLoginCommand({ region: 'us-west-2' })).toEqual(['ecr', 'get-login-password', '--region', 'us-west-2']);
    expect(ecrLoginCommand({ region: 'eu-west-1', profile: 'ci' })).toEqual(['ecr', 'get-login-password', '--region', 'eu-west-1', '--profile', 'ci']);
    expect(parseEcrPassword(`${TOKEN}\n`)).toBe(TOKEN);
    expect(parseEcrPassword('\n')).toBeUndefined();
    expect(parseEcrPassword('An error occurred (AccessDenied)')).toBeUndefined();
  });

  it('logs in as AWS with aws ecr get-login-password, for the configured region and profile, and hides the password', async () => {
    const { env, log } = awsBin('aws-ok');
    const credential = await resolveEcrCredential(REGISTRY, { region: 'us-west-2', profile: 'ci' }, env);
    expect(credential).toEqual({ kind: 'basic', username: 'AWS', password: TOKEN, source: 'aws ecr get-login-password (ci, us-west-2)' });
    expect(fs.readFileSync(log, 'utf8').trim()).toBe('ecr get-login-password --region us-west-2 --profile ci profile=ci region=us-west-2');
    expect(redact(`token ${TOKEN} and ${Buffer.from(`AWS:${TOKEN}`).toString('base64')}`)).toBe('token *** and ***');
  });

  it('says what failed when aws cannot log in, without printing anything secret', async () => {
    const { env } = awsBin('aws-fail', true);
    await expect(resolveEcrCredential(REGISTRY, { region: 'us-west-2' }, env)).rejects.toMatchObject({
      code: 'E_REGISTRY_AUTH',
      message: `aws ecr get-login-password --region us-west-2 failed for ${REGISTRY}`,
      details: ['Unable to locate credentials. You can configure credentials by running "aws configure".'],
    });
  });

  it('prefers docker-credential-ecr-login when it is installed (the helper protocol)', async () => {
    const { env, log } = awsBin('with-helper');
    const dir = env.PATH!.split(path.delimiter)[0]!;
    script(dir, 'docker-credential-ecr-login', `read server\necho "$server $AWS_REGION" >> '${log}.helper'\nprintf '{"ServerURL":"%s","Username":"AWS","Secret":"${TOKEN}"}' "$server"\n`);
    const credential = await resolveEcrCredential(REGISTRY, { region: 'us-west-2' }, env);
    expect(credential).toMatchObject({ username: 'AWS', password: TOKEN, source: 'credential helper docker-credential-ecr-login' });
    expect(fs.readFileSync(`${log}.helper`, 'utf8').trim()).toBe(`${REGISTRY} us-west-2`);
    expect(fs.existsSync(log)).toBe(false);
  });

  it('says to install a tool when neither is on PATH', async () => {
    await expect(resolveEcrCredential(REGISTRY, { region: 'us-west-2' }, { PATH: path.join(root, 'empty') })).rejects.toMatchObject({
      code: 'E_REGISTRY_AUTH',
      hint: expect.stringContaining('install the AWS CLI'),
    });
  });
});
