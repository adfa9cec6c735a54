/**
 * Running a just-built image before anything is pushed: a command that must exit 0 (the seed's
 * `uname -m`), and a server that must answer over HTTP (the seed's browser check). Foreign
 * platforms run under QEMU through binfmt_misc, exactly as they would on the engine. Edge.
 */
import { randomBytes } from 'node:crypto';
import { formatPlatform, type Platform } from '../config/platform.js';
import { MultiarchError } from '../errors/multiarch-error.js';
import { ownerLabelArgs } from '../sys/run-owner.js';
import { docker, type DockerClient } from './client.js';
import { sweepDeadRunContainers } from './dead-run-containers.js';

export interface CommandRun {
  readonly exitCode: number;
  readonly output: string;
}

export async function runCommandInImage(
  client: DockerClient,
  image: string,
  platform: Platform,
  command: readonly string[],
  io: { signal: AbortSignal; timeoutMs: number; onLine: (line: string) => void },
): Promise<CommandRun> {
  const name = containerName();
  await sweepDeadRunContainers(client);
  const r = await docker(client, ['run', '--rm', '--name', name, ...ownerLabelArgs(), '--platform', formatPlatform(platform), image, ...command], {
    signal: io.signal,
    timeoutMs: io.timeoutMs,
    onLine: io.onLine,
  });
  if (r.canceled || r.timedOut) await removeContainer(client, name);
  if (r.canceled) throw new MultiarchError('E_CANCELED', 'test canceled');
  if (r.timedOut) {
    throw new MultiarchError('E_TEST_FAILED', `\`${command.join(' ')}\` did not finish within ${io.timeoutMs / 1000}s`, {
      hint: 'emulated platforms run 5–20× slower; raise test.timeout',
    });
  }
  return { exitCode: r.exitCode, output: [r.stdout, r.stderr].filter(Boolean).join('\n') };
}

export interface HttpProbe {
  readonly port: number;
  readonly path: string;
  readonly expectStatus: number;
  readonly timeoutMs: number;
  /** Where to publish and connect (default loopback: an engine on this machine). */
  readonly address?: { readonly bind: string; readonly connect: string };
}

/** Starts the image detached with the port published (on loopback here), polls it, always removes it. */
export async function probeHttp(
  client: DockerClient,
  image: string,
  platform: Platform,
  probe: HttpProbe,
  io: {
    signal: AbortSignal;
    onLine: (line: string) => void;
    onProgress: (message: string) => void;
    /** Takes the container's removal instead of waiting for it here (the caller settles it later). */
    removeLater?: (removal: Promise<void>) => void;
  },
): Promise<{ status: number; body: string }> {
  const name = containerName();
  await sweepDeadRunContainers(client);
  const started = await docker(
    client,
    ['run', '--detach', '--name', name, ...ownerLabelArgs(), '--platform', formatPlatform(platform), '--publish', `${probe.address?.bind ?? '127.0.0.1'}::${probe.port}`, image],
    { signal: io.signal },
  );
  try {
    if (started.exitCode !== 0) {
      throw new MultiarchError('E_TEST_FAILED', `could not start the image for the HTTP check`, { details: started.tail.slice(-10) });
    }
    const port = await docker(client, ['port', name, `${probe.port}/tcp`], { signal: io.signal });
    const hostPort = /:(\d+)\s*$/m.exec(port.stdout)?.[1];
    if (!hostPort) {
      // A server that died at once has no ports either: say that, with its last words.
      if (!(await isRunning(client, name))) throw await exitedEarly(client, name, probe.port, io.onLine);
      throw new MultiarchError('E_TEST_FAILED', `container port ${probe.port} was not published`, { details: port.tail.slice(-5) });
    }
    const connect = probe.address?.connect ?? '127.0.0.1';
    const url = `http://${connect.includes(':') ? `[${connect}]` : connect}:${hostPort}${probe.path}`;
    io.onProgress(`waiting for ${probe.path} on :${probe.port}`);
    const deadline = Date.now() + probe.timeoutMs;
    let last = 'no answer yet';
    let lastAliveCheck = Date.now();
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      if (io.signal.aborted) throw new MultiarchError('E_CANCELED', 'test canceled');
      try {
        const res = await fetch(url, { signal: AbortSignal.any([io.signal, AbortSignal.timeout(5000)]) });
        const body = await res.text();
        if (res.status === probe.expectStatus) return { status: res.status, body };
        last = `answered ${res.status}`;
      } catch (error) {
        last = (error as Error).message;
      }
      // Asking the engine costs a CLI call: once a second is enough to notice a server that died.
      if (Date.now() - lastAliveCheck >= ALIVE_CHECK_MS) {
        lastAliveCheck = Date.now();
        if (!(await isRunning(client, name))) throw await exitedEarly(client, name, probe.port, io.onLine);
      }
      await new Promise((resolve) => setTimeout(resolve, pollDelayMs(attempt)));
    }
    const logs = await docker(client, ['logs', '--tail', '20', name]);
    throw new MultiarchError('E_TEST_FAILED', `GET ${probe.path} on port ${probe.port}: expected ${probe.expectStatus}, ${last} after ${probe.timeoutMs / 1000}s`, {
      details: logs.tail.slice(-20),
      hint: 'check the port the server listens on (test.http.port) and raise test.http.timeout for emulated platforms',
    });
  } finally {
    const removal = removeContainer(client, name);
    if (io.removeLater) io.removeLater(removal);
    else await removal;
  }
}

const ALIVE_CHECK_MS = 1000;

/**
 * Most servers answer within a few hundred milliseconds of starting (a second or two under QEMU):
 * poll often at first, then every half second, so a fast server is not kept waiting a whole interval.
 */
export function pollDelayMs(attempt: number): number {
  return Math.min(500, 50 * 2 ** attempt);
}

async function exitedEarly(client: DockerClient, name: string, port: number, onLine: (line: string) => void): Promise<MultiarchError> {
  const logs = await docker(client, ['logs', '--tail', '20', name]);
  logs.tail.forEach((l) => onLine(l));
  return new MultiarchError('E_TEST_FAILED', `the container exited before answering on port ${port}`, { details: logs.tail.slice(-20) });
}

async function isRunning(client: DockerClient, name: string): Promise<boolean> {
  const r = await docker(client, ['inspect', '--format', '{{.State.Running}}', name]);
  return r.stdout.trim() === 'true';
}

async function removeContainer(client: DockerClient, name: string): Promise<void> {
  await docker(client, ['rm', '--force', name]).catch(() => undefined);
}

function containerName(): string {
  return `multiarch-test-${randomBytes(6).toString('hex')}`;
}
