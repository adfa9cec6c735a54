/**
 * What a CI workflow needs to know of a config: every platform some image builds (a matrix job
 * each), and the registries it publishes to, sorted by how CI logs in to them (Docker Hub, GHCR,
 * the GitLab registry, ECR through an OIDC role, any other with a username/password pair; plain
 * HTTP ones are local and get no login). Pure.
 */
import { formatPlatform, parsePlatform } from '../config/platform.js';
import type { ResolvedConfig } from '../config/resolved.js';

export type CiRegistry =
  | { readonly kind: 'dockerhub'; readonly name: string; readonly host: string }
  | { readonly kind: 'ghcr'; readonly name: string; readonly host: string }
  | { readonly kind: 'gitlab'; readonly name: string; readonly host: string }
  | { readonly kind: 'ecr'; readonly name: string; readonly host: string; readonly account: string; readonly region: string }
  | { readonly kind: 'password'; readonly name: string; readonly host: string; readonly variable: string }
  | { readonly kind: 'local'; readonly name: string; readonly host: string };

export interface CiFacts {
  /** The config file, relative to the repository root (`multiarch.config.ts`). */
  readonly configPath: string;
  /** Canonical platforms, in the order images first list them. */
  readonly platforms: readonly string[];
  readonly registries: readonly CiRegistry[];
}

const ECR = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

export function ciFacts(config: ResolvedConfig, configPath: string): CiFacts {
  const platforms = [...new Set(Object.values(config.images).flatMap((i) => i.platforms.map(formatPlatform)))];
  const used = new Set(Object.values(config.images).flatMap((i) => i.publish.map((p) => p.registry)));
  const registries = Object.values(config.registries)
    .filter((r) => used.has(r.name))
    .map((r) => classifyRegistry(r.name, r.host, r.insecure));
  return { configPath, platforms, registries };
}

export function classifyRegistry(name: string, host: string, insecure = false): CiRegistry {
  if (insecure) return { kind: 'local', name, host };
  if (host === 'docker.io') return { kind: 'dockerhub', name, host };
  if (host === 'ghcr.io') return { kind: 'ghcr', name, host };
  if (host === 'registry.gitlab.com') return { kind: 'gitlab', name, host };
  const ecr = ECR.exec(host);
  if (ecr) return { kind: 'ecr', name, host, account: ecr[1]!, region: ecr[2]! };
  return { kind: 'password', name, host, variable: name.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^(?=\d)/, 'R_') };
}

export interface RunnerChoice {
  /** GitHub-hosted runner label. */
  readonly github: string;
  /** GitLab.com SaaS runner tag. */
  readonly gitlab: string;
  /** No native runner: QEMU on an amd64 one. */
  readonly qemu: boolean;
}

/** Native runners for amd64 (and 386) and arm64; everything else emulated on amd64. */
export function runnerFor(platform: string): RunnerChoice {
  const parsed = parsePlatform(platform);
  const arch = parsed.ok ? parsed.platform.architecture : '';
  if (arch === 'arm64') return { github: 'ubuntu-24.04-arm', gitlab: 'saas-linux-small-arm64', qemu: false };
  return { github: 'ubuntu-24.04', gitlab: 'saas-linux-small-amd64', qemu: arch !== 'amd64' && arch !== '386' };
}

/** `linux/arm/v7` → `linux-arm-v7`: artifact and directory names. */
export function platformSlugOf(platform: string): string {
  return platform.replaceAll('/', '-');
}
