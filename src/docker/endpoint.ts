/**
 * A builder's engine as the docker CLI is pointed at it: DOCKER_HOST for a host URL, DOCKER_CONTEXT
 * (the environment form of `--context`) for a context, each clearing the other so an inherited
 * DOCKER_HOST cannot win over a builder's context. Every docker call for that builder — build,
 * run, inspect, save — gets this environment. Pure.
 */
import type { DockerEndpoint } from '../config/builders.js';

export function endpointEnv(endpoint: DockerEndpoint): Record<string, string | undefined> {
  if (endpoint.host) return { DOCKER_HOST: endpoint.host, DOCKER_CONTEXT: undefined };
  if (endpoint.context) return { DOCKER_CONTEXT: endpoint.context, DOCKER_HOST: undefined };
  return {};
}

/**
 * Whether the engine shares this machine's kernel (a unix socket): then its emulators are the
 * local binfmt handlers, and ports it publishes on 127.0.0.1 are reachable here.
 */
export function isLocalHost(host: string | undefined): boolean {
  return host === undefined || host.startsWith('unix://');
}

/** `{{.Server.Version}}|{{.Server.Os}}/{{.Server.Arch}}` output → the engine, if it answered. */
export function parseServerVersion(stdout: string): { version: string; platform: string } | undefined {
  const [version, platform] = (stdout.split('\n')[0] ?? '').trim().split('|');
  if (!version || !/^\d/.test(version) || !platform || !/^\w+\/\w+/.test(platform)) return undefined;
  return { version, platform };
}

/** The line of docker's stderr that says why an engine did not answer. */
export function engineProblem(stderr: string, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `no answer within ${timeoutMs / 1000}s`;
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const telling = lines.find((l) => /cannot connect|error during connect|does not exist|connection refused|permission denied|ssh|no such host|timed? ?out/i.test(l));
  return (telling ?? lines.at(-1) ?? 'the engine did not answer').replace(/^(error:|ERROR:)\s*/, '');
}
