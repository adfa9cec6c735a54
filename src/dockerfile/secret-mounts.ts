/**
 * Which secrets and SSH agents a Dockerfile's `RUN --mount=type=secret|ssh,…` flags ask for, with
 * the line of each, so the plan can hold them against the config's `secrets`/`ssh`. Only `RUN`
 * flags before the command count (what BuildKit reads). Pure.
 */
import { mountsOf } from './instruction.js';
import { readDockerfile } from './read.js';

export interface MountUse {
  readonly id: string;
  /** 1-based line of the RUN instruction. */
  readonly line: number;
  /** `required=true`: BuildKit fails the build without it (else the mount is just empty). */
  readonly required: boolean;
}

export interface DockerfileMounts {
  readonly secrets: readonly MountUse[];
  readonly ssh: readonly MountUse[];
}

export function dockerfileMounts(text: string): DockerfileMounts {
  const secrets: MountUse[] = [];
  const ssh: MountUse[] = [];
  for (const ins of readDockerfile(text).instructions) {
    if (ins.keyword !== 'RUN') continue;
    for (const mount of mountsOf(ins)) {
      // A bare `required` reads as true (mountsOf gives bare keys the value 'true').
      const required = /^(true|)$/i.test(mount.required ?? 'false');
      if (mount.type === 'secret') {
        // BuildKit: the id defaults to the target's base name.
        const id = mount.id ?? mount.target?.split('/').pop();
        if (id) secrets.push({ id, line: ins.line, required });
      } else if (mount.type === 'ssh') {
        ssh.push({ id: mount.id ?? 'default', line: ins.line, required });
      }
    }
  }
  return { secrets, ssh };
}
