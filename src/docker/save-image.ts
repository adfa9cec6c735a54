/**
 * `docker save`, the one module that runs it: the image as a docker-archive tar stream, read into
 * the blob store (image/export-image.ts) — from the ambient local engine's socket
 * (`GET /images/{id}/get`, the very archive the CLI would print, without a process: engine-socket.ts),
 * else through the client wrapper, so a builder's host or context is used — or written by the CLI
 * straight to a file for a scanner (piping that through this process would cost ~0.13 s of its CPU
 * per 46 MB for nothing: bench/scan-archive.ts). Edge.
 */
import { PassThrough, Readable } from 'node:stream';
import { MultiarchError } from '../errors/multiarch-error.js';
import type { StreamingRun } from '../sys/run.js';
import { docker, dockerStreaming, type DockerClient } from './client.js';
import { clientSocket, engineMessage, requestFromSocket } from './engine-socket.js';

export async function saveImage(client: DockerClient, imageId: string, signal: AbortSignal): Promise<StreamingRun> {
  const socket = clientSocket(client);
  const direct = socket ? await saveFromSocket(socket, imageId, signal) : undefined;
  return direct ?? dockerStreaming(client, ['save', imageId], signal);
}

/**
 * The archive as the socket sends it, in the shape of a `docker save` run: stdout ends however the
 * answer ends (a broken one leaves a truncated tar, as a dying CLI would), and `done` tells how.
 * Undefined when the socket does not answer at all: the CLI is asked then.
 */
export async function saveFromSocket(socketPath: string, imageId: string, signal: AbortSignal): Promise<StreamingRun | undefined> {
  let res;
  try {
    res = await requestFromSocket(socketPath, `/images/${encodeURIComponent(imageId)}/get`, signal);
  } catch {
    if (signal.aborted) return { stdout: Readable.from([]), done: Promise.resolve({ exitCode: 130, stderr: 'canceled', canceled: true }) };
    return undefined;
  }
  if (res.statusCode !== 200) {
    let body = '';
    for await (const chunk of res) body += String(chunk);
    return { stdout: Readable.from([]), done: Promise.resolve({ exitCode: 1, stderr: `Error response from daemon: ${engineMessage(body)}`, canceled: false }) };
  }
  const stdout = new PassThrough();
  let failure = '';
  res.on('error', (error) => {
    failure = error.message;
    stdout.end();
  });
  res.pipe(stdout);
  const done = new Promise<{ exitCode: number; stderr: string; canceled: boolean }>((resolve) => {
    res.on('close', () => {
      const canceled = signal.aborted;
      resolve(res.complete && !failure ? { exitCode: 0, stderr: '', canceled } : { exitCode: canceled ? 130 : 1, stderr: failure || 'the engine ended the archive early', canceled });
    });
  });
  return { stdout, done };
}

/** The archive in `file`: exactly this image, one platform (what `trivy --input` and `grype docker-archive:` read). */
export async function saveImageToFile(client: DockerClient, imageId: string, file: string, signal: AbortSignal): Promise<void> {
  const saved = await docker(client, ['save', '-o', file, imageId], { signal });
  if (saved.canceled) throw new MultiarchError('E_CANCELED', 'export canceled');
  if (saved.exitCode !== 0) throw new MultiarchError('E_EXPORT_FAILED', `docker save ${imageId} failed`, { details: saved.tail.slice(-10) });
}
