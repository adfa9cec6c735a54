/**
 * Containers a killed run of multiarch left on an engine (a detached HTTP-check server keeps
 * running after SIGKILL): found by the owner labels every container multiarch starts carries
 * (sys/run-owner.ts), removed when their pid no longer runs on this host — never a live run's.
 * Once per engine and run, the first time the run uses that engine. Edge.
 */
import os from 'node:os';
import { OWNER_HOST_LABEL, OWNER_PID_LABEL, deadOwnerContainers } from '../sys/run-owner.js';
import { docker, type DockerClient } from './client.js';

const sweeps = new WeakMap<DockerClient, Promise<void>>();

/** Starts (or joins) this run's sweep of `client`'s engine; never rejects. */
export function sweepDeadRunContainers(client: DockerClient): Promise<void> {
  let sweep = sweeps.get(client);
  if (!sweep) {
    sweep = (async () => {
      const list = await docker(client, ['ps', '--all', '--filter', `label=${OWNER_HOST_LABEL}=${os.hostname()}`, '--format', `{{.ID}} {{.Label "${OWNER_PID_LABEL}"}}`]);
      const dead = list.exitCode === 0 ? deadOwnerContainers(list.stdout.split('\n')) : [];
      if (dead.length > 0) await docker(client, ['rm', '--force', ...dead]);
    })().catch(() => undefined);
    sweeps.set(client, sweep);
  }
  return sweep;
}
