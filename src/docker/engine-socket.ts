/**
 * The ambient local engine over its unix socket, without starting a process: its version and
 * platform (`GET /version`, what `docker version` prints: a no-op run spawns nothing), an image's
 * inspect (`GET /images/{id}/json`) and its `docker save` archive (`GET /images/{id}/get`, in
 * save-image.ts). A `docker` process costs ≈40 ms of CPU and ≈0.1 s before its first byte on a busy
 * machine, on the push's critical path after every build. Only for a local socket (DOCKER_HOST
 * unset or unix://, no DOCKER_CONTEXT) and a client with no host or context of its own (a
 * builder's): anything else returns undefined and the caller asks the CLI. Edge: HTTP on a unix socket.
 */
import http from 'node:http';
import process from 'node:process';
import { readCliConfig } from './cli-config.js';
import type { DockerClient } from './client.js';
import type { EngineInfo } from './detect.js';

export function ambientSocket(env: NodeJS.ProcessEnv): string | undefined {
  if (env.DOCKER_CONTEXT || currentContext(env)) return undefined;
  const host = env.DOCKER_HOST;
  if (!host) return '/var/run/docker.sock';
  return host.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
}

const sockets = new WeakMap<DockerClient, string | null>();

/** The socket `client`'s calls reach when that is the ambient local engine (asked once per client). */
export function clientSocket(client: DockerClient, env: NodeJS.ProcessEnv = process.env): string | undefined {
  let socket = sockets.get(client);
  if (socket === undefined) {
    // A builder's client sets (or clears) DOCKER_HOST and DOCKER_CONTEXT: its calls go where it says.
    const own = 'DOCKER_HOST' in client.env || 'DOCKER_CONTEXT' in client.env;
    socket = (own ? undefined : ambientSocket(env)) ?? null;
    sockets.set(client, socket);
  }
  return socket ?? undefined;
}

export async function engineFromSocket(socketPath: string, timeoutMs = 5_000): Promise<EngineInfo | undefined> {
  const answer = await getFromSocket(socketPath, '/version', AbortSignal.timeout(timeoutMs)).catch(() => undefined);
  if (!answer || answer.status !== 200) return undefined;
  try {
    const v = JSON.parse(answer.body) as { Version?: unknown; Os?: unknown; Arch?: unknown };
    const ok = typeof v.Version === 'string' && typeof v.Os === 'string' && typeof v.Arch === 'string';
    return ok ? { version: v.Version as string, platform: `${v.Os as string}/${v.Arch as string}` } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The response to a GET on the engine's socket, its body unread; rejects when the socket does not
 * answer. A connection of its own each time (a unix-socket connect costs next to nothing): a kept-
 * alive one to an engine that restarted would fail the next request on it.
 */
export function requestFromSocket(socketPath: string, apiPath: string, signal?: AbortSignal): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath, path: apiPath, agent: false, ...(signal ? { signal } : {}) }, resolve);
    req.on('error', reject);
  });
}

/** A GET on the engine's socket and its whole (small, text) answer. */
export async function getFromSocket(socketPath: string, apiPath: string, signal?: AbortSignal): Promise<{ status: number; body: string }> {
  const res = await requestFromSocket(socketPath, apiPath, signal);
  let body = '';
  res.setEncoding('utf8');
  for await (const chunk of res) body += chunk as string;
  return { status: res.statusCode ?? 0, body };
}

/** The engine's `{"message": …}` error answer as text. */
export function engineMessage(body: string): string {
  try {
    const message = (JSON.parse(body) as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  } catch {
    // Not JSON: the body as it is.
  }
  return body.trim();
}

/** A non-default `currentContext` in the CLI's config points the CLI elsewhere than the socket. */
function currentContext(env: NodeJS.ProcessEnv): string | undefined {
  const context = readCliConfig(env).currentContext;
  return typeof context === 'string' && context !== '' && context !== 'default' ? context : undefined;
}
