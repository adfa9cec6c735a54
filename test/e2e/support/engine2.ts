/**
 * The second Docker engine for builder tests (scripts/second-engine.sh): its own dockerd, socket,
 * data root and bridge next to the main one. Started on first use and left running, like the
 * registries; `scripts/second-engine.sh stop` stops it.
 */
import path from 'node:path';
import { execa } from 'execa';
import { testEnv } from './env.js';

let started: Promise<string> | undefined;

/** Its DOCKER_HOST (`unix://…/engine2/docker.sock`), once it answers. */
export function secondEngine(): Promise<string> {
  started ??= execa('bash', [path.join(testEnv().root, 'scripts/second-engine.sh'), 'start'], { stdin: 'ignore', timeout: 120_000 }).then((r) => r.stdout.trim());
  return started;
}

/** `docker …args` against the engine at `host` (undefined: the main one); stdout. */
export async function dockerAt(host: string | undefined, args: readonly string[]): Promise<string> {
  const env = host ? { DOCKER_HOST: host, DOCKER_CONTEXT: undefined } : {};
  const r = await execa('/usr/bin/docker', args, { env: { ...process.env, ...env }, reject: false, stdin: 'ignore', timeout: 120_000 });
  if (r.exitCode !== 0) throw new Error(`docker ${args.join(' ')} failed on ${host ?? 'the main engine'}: ${r.stderr}`);
  return r.stdout;
}

/** The repository:tag names of the images on the engine at `host`. */
export async function imageNames(host: string | undefined, reference: string): Promise<string[]> {
  const out = await dockerAt(host, ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', '--filter', `reference=${reference}`]);
  return out.split('\n').filter(Boolean).sort();
}
