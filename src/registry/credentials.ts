/**
 * Registry credentials exactly where `docker login` leaves them: `$DOCKER_CONFIG/config.json` or
 * `~/.docker/config.json` — `credHelpers[host]`, then `auths[host]`, then `credsStore` — and the
 * credential-helper protocol (`docker-credential-NAME get`, server URL on stdin, JSON on stdout).
 * multiarch never stores a password; whatever it reads is registered for redaction at once. Edge.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { MultiarchError } from '../errors/multiarch-error.js';
import { registerBasicAuth, registerSecret } from '../sys/redact.js';
import { run } from '../sys/run.js';

export type Credential =
  | { readonly kind: 'basic'; readonly username: string; readonly password: string; readonly source: string }
  | { readonly kind: 'identity-token'; readonly token: string; readonly source: string };

interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.DOCKER_CONFIG ?? path.join(os.homedir(), '.docker'), 'config.json');
}

/** `https://127.0.0.1:5000/v2/` and `127.0.0.1:5000` name the same registry. */
function sameRegistry(key: string, authKey: string): boolean {
  const norm = (k: string) => k.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  if (key === authKey) return true;
  // Docker Hub's key is a URL whose host is index.docker.io.
  return norm(key) === norm(authKey);
}

export async function resolveCredential(authKey: string, env: NodeJS.ProcessEnv = process.env): Promise<Credential | undefined> {
  const file = dockerConfigPath(env);
  let config: DockerConfigFile;
  try {
    config = JSON.parse(await readFile(file, 'utf8')) as DockerConfigFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MultiarchError('E_REGISTRY_AUTH', `cannot read ${file}: ${(error as Error).message}`, {
      hint: 'fix or remove the file, then `docker login` again',
    });
  }
  const helperKey = Object.keys(config.credHelpers ?? {}).find((k) => sameRegistry(k, authKey));
  if (helperKey) return fromCredentialHelper(config.credHelpers![helperKey]!, authKey, env);
  const authEntry = Object.entries(config.auths ?? {}).find(([k]) => sameRegistry(k, authKey))?.[1];
  if (authEntry) {
    const source = `${file} auths`;
    if (authEntry.identitytoken) {
      registerSecret(authEntry.identitytoken);
      return { kind: 'identity-token', token: authEntry.identitytoken, source };
    }
    if (authEntry.auth) {
      registerSecret(authEntry.auth);
      const decoded = Buffer.from(authEntry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        const username = decoded.slice(0, colon);
        const password = decoded.slice(colon + 1);
        registerBasicAuth(username, password);
        return { kind: 'basic', username, password, source };
      }
    }
    if (authEntry.username && authEntry.password) {
      registerBasicAuth(authEntry.username, authEntry.password);
      return { kind: 'basic', username: authEntry.username, password: authEntry.password, source };
    }
    // An entry with no secret in it: the secret lives in the credsStore.
  }
  if (config.credsStore) return fromCredentialHelper(config.credsStore, authKey, env);
  return undefined;
}

/** The credential-helper protocol: `docker-credential-NAME get`, server URL on stdin, JSON on stdout. */
export async function fromCredentialHelper(helper: string, serverUrl: string, env: NodeJS.ProcessEnv): Promise<Credential | undefined> {
  const program = `docker-credential-${helper}`;
  // The caller's environment: its PATH finds the helper, its HOME/DOCKER_CONFIG are the helper's too.
  const r = await run(program, ['get'], { input: serverUrl, timeoutMs: 60_000, env }).catch(() => undefined);
  if (!r || r.exitCode !== 0) {
    const text = `${r?.stdout ?? ''} ${r?.stderr ?? ''}`;
    if (r && /credentials not found/i.test(text)) return undefined;
    throw new MultiarchError('E_REGISTRY_AUTH', `the credential helper ${program} failed for ${serverUrl}`, {
      hint: r ? `run \`echo ${serverUrl} | ${program} get\` to see why` : `install ${program} or remove it from ${dockerConfigPath(env)}`,
    });
  }
  let parsed: { Username?: string; Secret?: string };
  try {
    parsed = JSON.parse(r.stdout) as { Username?: string; Secret?: string };
  } catch {
    throw new MultiarchError('E_REGISTRY_AUTH', `the credential helper ${program} printed something that is not JSON`);
  }
  if (!parsed.Secret) return undefined;
  registerSecret(parsed.Secret);
  const source = `credential helper ${program}`;
  if (parsed.Username === '<token>') return { kind: 'identity-token', token: parsed.Secret, source };
  registerBasicAuth(parsed.Username ?? '', parsed.Secret);
  return { kind: 'basic', username: parsed.Username ?? '', password: parsed.Secret, source };
}
