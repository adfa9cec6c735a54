/**
 * A Docker CLI binary and how to call it. Every docker invocation goes through `docker()`, so the
 * chosen client (and its environment, e.g. DOCKER_BUILDKIT) is used consistently.
 */
import { run, runStreaming, type RunOptions, type RunResult, type StreamingRun } from '../sys/run.js';

export interface DockerClient {
  readonly binary: string;
  readonly version: string;
  /** Environment every call to this client gets (undefined: removed, e.g. an inherited DOCKER_HOST). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function docker(client: DockerClient, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return run(client.binary, args, { ...options, env: { ...client.env, ...options.env } });
}

/** A docker call whose stdout is large binary data (`docker save`): streamed, not buffered. */
export function dockerStreaming(client: DockerClient, args: readonly string[], signal: AbortSignal): Promise<StreamingRun> {
  return runStreaming(client.binary, args, { env: client.env, signal });
}
