/**
 * Reads a build secret's value from where the config says it is (an env var, a file), only to
 * check it is there and to register it for redaction: the value itself is handed to the builder
 * by the docker client, never through multiarch's argv, plan or files. Edge.
 */
import { readFile } from 'node:fs/promises';
import { registerSecret } from './redact.js';

/** Where a secret's value is: an env var or a file (config/resolved.ts SecretSource has this shape). */
export type SecretSource = { readonly env: string } | { readonly file: string };

export type SecretRead = { readonly ok: true } | { readonly ok: false; readonly problem: string };

/** Registers the value (and its trimmed form: a file's trailing newline) so no output can show it. */
export async function readSecretSource(source: SecretSource, env: NodeJS.ProcessEnv): Promise<SecretRead> {
  if ('env' in source) {
    const value = env[source.env];
    if (value === undefined) return { ok: false, problem: `environment variable ${source.env} is not set` };
    registerSecret(value);
    registerSecret(value.trim());
    return { ok: true };
  }
  try {
    const value = await readFile(source.file, 'utf8');
    registerSecret(value);
    registerSecret(value.trim());
    return { ok: true };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, problem: code === 'ENOENT' ? `file ${source.file} does not exist` : `file ${source.file} cannot be read (${code ?? String(error)})` };
  }
}

/** Before a build: every value registered; the first missing one is the build's failure. */
export async function registerSecretSources(secrets: Readonly<Record<string, SecretSource>> | undefined, env: NodeJS.ProcessEnv): Promise<string[]> {
  const problems: string[] = [];
  for (const [id, source] of Object.entries(secrets ?? {})) {
    const read = await readSecretSource(source, env);
    if (!read.ok) problems.push(`secret "${id}": ${read.problem}`);
  }
  return problems;
}
