/**
 * `builders`: which Docker engine builds (and tests, and exports) each platform. Keys are
 * platforms (any alias, canonicalised) or `default`; each names an engine by `host` (DOCKER_HOST
 * URL) or `context` (a docker context), or neither for the engine the environment points at.
 * Pure: parsing and checks only; reaching the engines is the shell's job.
 */
import type { ConfigIssue } from './issue.js';
import { formatPlatform, parsePlatform, type Platform } from './platform.js';
import type { UserBuilder } from './schema.js';

/** Where a builder's engine is: at most one of the two; neither means the ambient engine. */
export interface DockerEndpoint {
  /** `ssh://user@host`, `tcp://host:2376`, `unix:///path/docker.sock`: DOCKER_HOST for every call. */
  readonly host?: string;
  /** A docker context name: every call runs with that context. */
  readonly context?: string;
}

export interface ResolvedBuilder {
  /** The config key, canonical: `default` or a platform such as `linux/arm64`. */
  readonly name: string;
  readonly docker: DockerEndpoint;
  /** Builds and tests on this engine at once; no limit of its own when absent. */
  readonly concurrency?: number;
}

export interface ResolvedBuilders {
  readonly default: ResolvedBuilder;
  /** By canonical platform. */
  readonly platforms: Readonly<Record<string, ResolvedBuilder>>;
}

export const DEFAULT_BUILDER = 'default';

export const LOCAL_BUILDERS: ResolvedBuilders = { default: { name: DEFAULT_BUILDER, docker: {} }, platforms: {} };

export function normalizeBuilders(user: Readonly<Record<string, UserBuilder | undefined>> | undefined): { builders: ResolvedBuilders; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  let fallback: ResolvedBuilder = LOCAL_BUILDERS.default;
  const platforms: Record<string, ResolvedBuilder> = {};
  const keyOf = new Map<string, string>();
  for (const [key, entry] of Object.entries(user ?? {})) {
    if (!entry) continue;
    const at = ['builders', key];
    let name = DEFAULT_BUILDER;
    if (key !== DEFAULT_BUILDER) {
      const parsed = parsePlatform(key);
      if (!parsed.ok) {
        issues.push({ path: at, message: `builders: ${parsed.message}`, hint: 'keys are platforms such as "linux/arm64", or "default" for every other platform' });
        continue;
      }
      name = formatPlatform(parsed.platform);
      const first = keyOf.get(name);
      if (first !== undefined) {
        issues.push({ path: at, message: `builders: "${key}" is the same platform as "${first}" (${name})`, hint: 'give each platform one builder' });
        continue;
      }
      keyOf.set(name, key);
    }
    issues.push(...checkEndpoint(entry.docker, [...at, 'docker']));
    const builder: ResolvedBuilder = {
      name,
      docker: { ...(entry.docker.host ? { host: entry.docker.host } : {}), ...(entry.docker.context ? { context: entry.docker.context } : {}) },
      ...(entry.concurrency !== undefined ? { concurrency: entry.concurrency } : {}),
    };
    if (name === DEFAULT_BUILDER) fallback = builder;
    else platforms[name] = builder;
  }
  return { builders: { default: fallback, platforms }, issues };
}

/** The builder that builds `platform`: its own entry, else `default`. */
export function builderFor(builders: ResolvedBuilders, platform: Platform): ResolvedBuilder {
  return builders.platforms[formatPlatform(platform)] ?? builders.default;
}

/** `ssh://ec2-user@graviton-builder`, `context amd-builder`, `the local engine`: for plans and errors. */
export function describeEndpoint(endpoint: DockerEndpoint): string {
  if (endpoint.host) return endpoint.host;
  if (endpoint.context) return `context ${endpoint.context}`;
  return 'the local engine';
}

function checkEndpoint(endpoint: DockerEndpoint, at: ConfigIssue['path']): ConfigIssue[] {
  if (endpoint.host && endpoint.context) {
    return [{ path: at, message: 'set host or context, not both', hint: 'a docker context already names its host; keep one of the two' }];
  }
  if (endpoint.host === undefined) return [];
  const problem = dockerHostProblem(endpoint.host);
  return problem ? [{ path: [...at, 'host'], ...problem }] : [];
}

const HOST_EXAMPLES = 'ssh://user@host, tcp://host:2376 or unix:///var/run/docker.sock';

/** Why `host` is not a DOCKER_HOST the docker CLI accepts, or undefined when it is. */
export function dockerHostProblem(host: string): { message: string; hint: string } | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(host)?.[1]?.toLowerCase();
  if (!scheme) {
    const name = host.replace(/[:/].*$/, '') || 'host';
    const hint = name.includes('@') ? `ssh://${name}` : `ssh://user@${name} or tcp://${name}:2376`;
    return { message: `"${host}" is not a Docker host URL`, hint: `write it with a scheme, e.g. ${hint}` };
  }
  if (scheme === 'http' || scheme === 'https') {
    return { message: `"${host}": Docker hosts are not ${scheme}:// URLs`, hint: `use tcp://host:port (TLS through a docker context), or ${HOST_EXAMPLES}` };
  }
  if (!['ssh', 'tcp', 'unix'].includes(scheme)) {
    return { message: `"${host}": unsupported scheme ${scheme}://`, hint: `use ${HOST_EXAMPLES}` };
  }
  if (scheme === 'unix') {
    return host.slice('unix://'.length).startsWith('/') ? undefined : { message: `"${host}": a unix socket needs an absolute path`, hint: 'e.g. unix:///var/run/docker.sock' };
  }
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    return { message: `"${host}" is not a valid URL`, hint: `e.g. ${HOST_EXAMPLES}` };
  }
  if (!url.hostname) return { message: `"${host}" names no host`, hint: `e.g. ${HOST_EXAMPLES}` };
  if (url.pathname && url.pathname !== '/') {
    return { message: `"${host}": a ${scheme}:// Docker host has no path`, hint: `e.g. ${scheme}://${url.username ? `${url.username}@` : ''}${url.host}` };
  }
  if (scheme === 'tcp' && !url.port) return { message: `"${host}" names no port`, hint: `e.g. tcp://${url.hostname}:2376 (TLS) or :2375` };
  return undefined;
}
