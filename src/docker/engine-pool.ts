/**
 * The engines of one run: for each builder the plan uses, a Builder and a DockerClient pointed at
 * its host or context, made once. A builder whose engine did not answer when the plan was made
 * fails every node asked of it with E_BUILDER_UNREACHABLE — which builder, where, and why —
 * instead of each node waiting on the same dead engine. The first use of an engine also removes
 * what killed runs left on it (dead-run-containers.ts): only a run that talks to the engine does,
 * so a no-op apply still starts no docker process. Edge.
 */
import type { Builder } from '../exec/ports/builder.js';
import { describeEndpoint, type ResolvedBuilder } from '../config/builders.js';
import { MultiarchError } from '../errors/multiarch-error.js';
import type { BuilderChoice } from './choose-builder.js';
import type { DockerClient } from './client.js';
import { sweepDeadRunContainers } from './dead-run-containers.js';
import { createDockerBuilder } from './docker-builder.js';
import { isLocalHost } from './endpoint.js';

export interface Engine {
  readonly name: string;
  readonly builder: Builder;
  readonly docker: DockerClient;
  /** Where ports the engine publishes can be reached from here (HTTP tests). */
  readonly address: PublishAddress;
}

export interface PublishAddress {
  /** The interface `docker run --publish` binds on the engine's host. */
  readonly bind: string;
  /** The host this machine connects to. */
  readonly connect: string;
}

export interface EnginePool {
  /** Throws E_BUILDER_UNREACHABLE for a builder whose engine was down. */
  get(name: string): Engine;
}

/** What planning saw of a builder's engine (the plan's EngineFacts): an unreachable one fails its nodes. */
export type EngineSeen = { readonly reachable: true; readonly host?: string } | { readonly reachable: false; readonly problem: string };

export interface EnginePoolOptions {
  /** Takes work the run must finish before it ends but no step waits for (the sweep of dead runs' containers). */
  readonly background?: { add(work: Promise<unknown>): void };
}

export function createEnginePool(
  choice: BuilderChoice,
  builders: Readonly<Record<string, ResolvedBuilder>>,
  facts: Readonly<Record<string, EngineSeen>> = {},
  options: EnginePoolOptions = {},
): EnginePool {
  const made = new Map<string, Engine>();
  return {
    get(name) {
      const builder = builders[name];
      if (!builder) throw new MultiarchError('E_INTERNAL', `the plan has no builder "${name}"`);
      const seen = facts[name];
      if (seen && !seen.reachable) {
        throw new MultiarchError('E_BUILDER_UNREACHABLE', `builder "${name}" (${describeEndpoint(builder.docker)}) is unreachable: ${seen.problem}`, {
          hint: unreachableHint(builder),
        });
      }
      let engine = made.get(name);
      if (!engine) {
        const dockerBuilder = createDockerBuilder(choice, builder);
        engine = { name, builder: dockerBuilder, docker: dockerBuilder.client, address: publishAddress(seen?.reachable ? seen.host : builder.docker.host) };
        made.set(name, engine);
        options.background?.add(sweepDeadRunContainers(engine.docker));
      }
      return engine;
    },
  };
}

/**
 * Loopback on an engine of this machine; on a remote one the port is published on all its
 * interfaces and reached through its host name (the HTTP test opens it only while it runs).
 */
export function publishAddress(host: string | undefined): PublishAddress {
  if (isLocalHost(host)) return { bind: '127.0.0.1', connect: '127.0.0.1' };
  try {
    const hostname = new URL(host!).hostname;
    if (hostname) return { bind: '0.0.0.0', connect: hostname.replace(/^\[|\]$/g, '') };
  } catch {
    // Not a URL: fall back to loopback.
  }
  return { bind: '127.0.0.1', connect: '127.0.0.1' };
}

export function unreachableHint(builder: ResolvedBuilder): string {
  const { host, context } = builder.docker;
  if (host?.startsWith('ssh://')) return `check \`DOCKER_HOST=${host} docker version\`: ssh must log in without a prompt (keys, known_hosts) and the user must be allowed to use docker there`;
  if (host) return `check \`DOCKER_HOST=${host} docker version\` and that the engine is running`;
  if (context) return `check \`docker --context ${context} version\` (\`docker context ls\` lists the contexts)`;
  return 'start the Docker engine, or point DOCKER_HOST at a running one';
}
