/**
 * The facts the build-secret checks need, read before planning: each selected image's Dockerfile
 * mounts, and whether every secret's env var or file and every SSH socket is there (values are
 * registered for redaction on the way, never kept). Then the pure check, whose errors stop the
 * plan (all of them at once) and whose notes join it. Edge.
 */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedConfig, ResolvedImage } from '../config/resolved.js';
import { MultiarchError } from '../errors/multiarch-error.js';
import { dockerfileMounts, type DockerfileMounts } from '../dockerfile/secret-mounts.js';
import type { PlanNote } from '../plan/nodes.js';
import { checkBuildSecrets, secretsHint, type SecretFacts } from '../plan/secret-checks.js';
import { readSecretSource } from '../sys/read-secret.js';

type Missing = SecretFacts['missing'][string][number];

export async function checkSecretsForPlan(
  config: ResolvedConfig,
  names: Iterable<string>,
  builderKind: SecretFacts['builderKind'],
  env: NodeJS.ProcessEnv,
): Promise<readonly PlanNote[]> {
  const images = [...names].map((n) => config.images[n]!).filter(Boolean);
  const mounts: Record<string, DockerfileMounts | undefined> = {};
  const missing: Record<string, Missing[]> = {};
  await Promise.all(
    images.map(async (image) => {
      const text = await readFile(image.dockerfile, 'utf8').catch(() => undefined);
      mounts[image.name] = text === undefined ? undefined : dockerfileMounts(text);
      missing[image.name] = await missingSources(image, env);
    }),
  );
  const display = (file: string) => path.relative(config.dir, file) || file;
  const { errors, notes } = checkBuildSecrets(images, { mounts, missing, ...(builderKind ? { builderKind } : {}) }, display);
  if (errors.length > 0) {
    throw new MultiarchError('E_CONFIG_INVALID', `build secrets: ${errors.length} problem${errors.length > 1 ? 's' : ''} in ${display(config.file)}`, {
      details: errors.map((e) => `${e.where}: ${e.message}`),
      hint: secretsHint(errors),
    });
  }
  return notes;
}

async function missingSources(image: ResolvedImage, env: NodeJS.ProcessEnv): Promise<Missing[]> {
  const out: Missing[] = [];
  for (const [id, source] of Object.entries(image.secrets)) {
    const read = await readSecretSource(source, env);
    if (!read.ok) out.push({ field: 'secrets', id, problem: read.problem });
  }
  for (const [id, source] of Object.entries(image.ssh)) {
    const socket = source.socket ?? env.SSH_AUTH_SOCK;
    if (!socket) out.push({ field: 'ssh', id, problem: 'SSH_AUTH_SOCK is not set (no agent to forward)' });
    else if (!(await access(socket).then(() => true, () => false))) out.push({ field: 'ssh', id, problem: `SSH agent socket ${socket} does not exist` });
  }
  return out;
}
