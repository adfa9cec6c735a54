/**
 * AWS ECR logins for registries configured with `auth: { ecr: { region, profile? } }`: through the
 * `docker-credential-ecr-login` helper when it is installed (the credential-helper protocol), else
 * `aws ecr get-login-password --region R [--profile P]`, whose stdout is a 12-hour password for the
 * user `AWS`. Nothing is stored; the password is registered for redaction at once. Edge.
 */
import { MultiarchError } from '../errors/multiarch-error.js';
import { registerBasicAuth } from '../sys/redact.js';
import { run } from '../sys/run.js';
import { findOnPath } from '../sys/which.js';
import { fromCredentialHelper, type Credential } from './credentials.js';

export interface EcrOptions {
  readonly region: string;
  readonly profile?: string;
}

export const ECR_HELPER = 'ecr-login';

/** argv of the AWS CLI call. Pure. */
export function ecrLoginCommand(options: EcrOptions): string[] {
  return ['ecr', 'get-login-password', '--region', options.region, ...(options.profile ? ['--profile', options.profile] : [])];
}

/** The password from `aws ecr get-login-password` output (one line). Pure. */
export function parseEcrPassword(stdout: string): string | undefined {
  const line = stdout.trim().split('\n').pop()?.trim();
  return line && /^[A-Za-z0-9+/=_-]{16,}$/.test(line) ? line : undefined;
}

export async function resolveEcrCredential(registry: string, options: EcrOptions, env: NodeJS.ProcessEnv): Promise<Credential> {
  const awsEnv = { ...env, AWS_REGION: options.region, ...(options.profile ? { AWS_PROFILE: options.profile } : {}) };
  if (await findOnPath(`docker-credential-${ECR_HELPER}`, env)) {
    const credential = await fromCredentialHelper(ECR_HELPER, registry, awsEnv);
    if (credential) return credential;
    throw new MultiarchError('E_REGISTRY_AUTH', `docker-credential-${ECR_HELPER} has no login for ${registry}`, {
      hint: `check the AWS credentials of ${options.profile ? `profile ${options.profile}` : 'the default profile'} (aws sts get-caller-identity)`,
    });
  }
  if (!(await findOnPath('aws', env))) {
    throw new MultiarchError('E_REGISTRY_AUTH', `${registry} uses ECR logins, but neither docker-credential-${ECR_HELPER} nor the aws CLI is on PATH`, {
      hint: 'install the AWS CLI (or amazon-ecr-credential-helper) and configure credentials for it',
    });
  }
  const argv = ecrLoginCommand(options);
  const r = await run('aws', argv, { env: awsEnv, timeoutMs: 120_000 });
  const password = r.exitCode === 0 ? parseEcrPassword(r.stdout) : undefined;
  if (!password) {
    throw new MultiarchError('E_REGISTRY_AUTH', `aws ${argv.join(' ')} failed for ${registry}`, {
      hint: `run it yourself to see why (credentials, region, permissions for ecr:GetAuthorizationToken)`,
      details: r.stderr.split('\n').filter(Boolean).slice(-5),
    });
  }
  registerBasicAuth('AWS', password);
  return { kind: 'basic', username: 'AWS', password, source: `aws ecr get-login-password (${options.profile ?? 'default profile'}, ${options.region})` };
}
