/**
 * Build secrets and SSH agents held against what each Dockerfile mounts, before anything runs: a
 * mount the config does not give is an error at its Dockerfile line, a secret the config gives but
 * no RUN mounts is a note; a source that is not there (env var unset, file missing) is an error
 * naming it; the legacy builder cannot take secrets at all. Pure: the shell gathers the facts.
 */
import { formatConfigPath } from '../config/issue.js';
import type { ResolvedImage } from '../config/resolved.js';
import type { DockerfileMounts } from '../dockerfile/secret-mounts.js';
import type { PlanNote } from './nodes.js';

export interface SecretFacts {
  /** Per image: the Dockerfile's secret and SSH mounts (absent when it could not be read). */
  readonly mounts: Readonly<Record<string, DockerfileMounts | undefined>>;
  /** Per image: secrets whose value and agents whose socket are not there, and why. */
  readonly missing: Readonly<Record<string, ReadonlyArray<{ readonly field: 'secrets' | 'ssh'; readonly id: string; readonly problem: string }>>>;
  readonly builderKind?: 'buildx' | 'buildkit' | 'legacy';
}

export interface SecretProblem {
  /** `Dockerfile:3` or the config path, first on the line. */
  readonly where: string;
  readonly message: string;
}

export interface SecretCheck {
  readonly errors: readonly SecretProblem[];
  readonly notes: readonly PlanNote[];
}

/** `display` turns an absolute file into what the user sees (relative to the config's directory). */
export function checkBuildSecrets(images: readonly ResolvedImage[], facts: SecretFacts, display: (file: string) => string): SecretCheck {
  const errors: SecretProblem[] = [];
  const notes: PlanNote[] = [];
  for (const image of images) {
    const given = Object.keys(image.secrets);
    const agents = Object.keys(image.ssh);
    const at = (field: string, id?: string) => formatConfigPath(['images', image.name, field, ...(id ? [id] : [])]);
    if (facts.builderKind === 'legacy' && given.length + agents.length > 0) {
      errors.push({ where: at(given.length ? 'secrets' : 'ssh'), message: `the legacy builder cannot pass build secrets or SSH agents (image ${image.name})` });
    }
    for (const m of facts.missing[image.name] ?? []) errors.push({ where: at(m.field, m.id), message: m.problem });
    const mounts = facts.mounts[image.name];
    if (!mounts) continue;
    const file = display(image.dockerfile);
    for (const use of mounts.secrets) {
      if (given.includes(use.id)) continue;
      errors.push({ where: `${file}:${use.line}`, message: `RUN mounts secret "${use.id}", which ${at('secrets')} does not give` });
    }
    for (const use of mounts.ssh) {
      if (agents.includes(use.id)) continue;
      errors.push({ where: `${file}:${use.line}`, message: `RUN mounts SSH agent "${use.id}", which ${at('ssh')} does not forward` });
    }
    for (const id of given) {
      if (!mounts.secrets.some((u) => u.id === id)) notes.push({ image: image.name, message: `secret "${id}" is given but ${file} mounts it nowhere (RUN --mount=type=secret,id=${id})` });
    }
    for (const id of agents) {
      if (!mounts.ssh.some((u) => u.id === id)) notes.push({ image: image.name, message: `SSH agent "${id}" is forwarded but ${file} mounts it nowhere (RUN --mount=type=ssh)` });
    }
  }
  return { errors, notes };
}

/** The fix for the kinds of problems found, for the error's hint. */
export function secretsHint(errors: readonly SecretProblem[]): string {
  if (errors.some((e) => e.message.includes('legacy builder'))) return 'build secrets need BuildKit: install docker buildx, or use a docker client with BuildKit (DOCKER_BUILDKIT=1) and unset MULTIARCH_BUILDER=legacy';
  if (errors.some((e) => e.message.startsWith('RUN mounts'))) return 'add the id under the image\'s secrets (e.g. secrets: { token: { env: "TOKEN" } }) or ssh: ["default"], or remove the mount';
  return 'set the environment variable or create the file the config names under secrets';
}
