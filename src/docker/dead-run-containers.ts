/**
 * Containers a killed run of multiarch left on an engine (a detached HTTP-check server keeps
 * running after SIGKILL): found by the owner labels every container multiarch starts carries
 * (sys/run-owner.ts), removed when their pid no longer runs on this host — never a live run's.
 * Once per engine and run, the first time the run uses that engine; listed over the ambient
 * engine's socket when it is that engine (no `docker ps` process beside the run's first build),
 * else with the CLI. Edge.
 */
import os from 'node:os';
import { OWNER_HOST_LABEL, OWNER_PID_LABEL, deadOwnerContainers } from '../sys/run-owner.js';
import { docker, type DockerClient } from './client.js';
import { clientSocket, getFromSocket } from './engine-socket.js';

const sweeps = new WeakMap<DockerClient, Promise<void>>();

/** Starts (or joins) this run's sweep of `client`'s engine; never rejects. */
export function sweepDeadRunContainers(client: DockerClient): Promise<void> {
  let sweep = sweeps.get(client);
  if (!sweep) {
    sweep = (async () => {
      const lines = await ownedContainers(client);
      const dead = lines ? deadOwnerContainers(lines) : [];
      if (dead.length > 0) await docker(client, ['rm', '--force', ...dead]);
    })().catch(() => undefined);
    sweeps.set(client, sweep);
  }
  return sweep;
}

/** `<id> <owner pid>` of each container this host's runs started on the engine; undefined if unknown. */
async function ownedContainers(client: DockerClient): Promise<string[] | undefined> {
  const label = `${OWNER_HOST_LABEL}=${os.hostname()}`;
  const socket = clientSocket(client);
  if (socket) {
    const filters = encodeURIComponent(JSON.stringify({ label: [label] }));
    const answer = await getFromSocket(socket, `/containers/json?all=1&filters=${filters}`).catch(() => undefined);
    if (answer?.status === 200) {
      const containers = JSON.parse(answer.body) as Array<{ Id: string; Labels?: Record<string, string> }>;
      return containers.map((c) => `${c.Id.slice(0, 12)} ${c.Labels?.[OWNER_PID_LABEL] ?? ''}`);
    }
  }
  const list = await docker(client, ['ps', '--all', '--filter', `label=${label}`, '--format', `{{.ID}} {{.Label "${OWNER_PID_LABEL}"}}`]);
  return list.exitCode === 0 ? list.stdout.split('\n') : undefined;
}
