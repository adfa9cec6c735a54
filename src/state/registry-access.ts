/**
 * Where state is read from: the plan's publish targets as content stores (registries and OCI
 * layouts, as apply writes them), and any registry a Dockerfile pulls from (loopback hosts over
 * plain HTTP, as Docker allows), sharing one pool (tokens) and a cap on requests in flight. Edge.
 */
import { isLoopbackHost } from '../image/image-reference.js';
import { parseRegistryUrl } from '../config/registry-url.js';
import { formatPlatform, parsePlatform, type Platform } from '../config/platform.js';
import type { TargetSpec } from '../plan/nodes.js';
import type { ContentStore } from '../publish/content-store.js';
import { RegistryStore } from '../publish/registry-store.js';
import { createStorePool } from '../publish/store-pool.js';
import type { RegistryClient } from '../registry/client.js';
import type { RegistryPool } from '../registry/pool.js';

export interface RegistryAccess {
  /** A registry by host, for base images. */
  client(host: string): RegistryClient;
  /** The same registry as a content store (its blobs read for, or mounted into, a publish target). */
  registry(host: string): ContentStore;
  /** A publish target (registry or OCI layout) as its content store. */
  store(target: TargetSpec): ContentStore;
  /** Runs `fn` when fewer than the cap of requests are in flight. */
  limit<T>(fn: () => Promise<T>): Promise<T>;
}

export function createRegistryAccess(pool: RegistryPool, targets: readonly TargetSpec[], concurrency = 16): RegistryAccess {
  const known = new Map(targets.filter((t) => !t.layout).map((t) => [t.host, t]));
  const stores = createStorePool(pool);
  const registries = new Map<string, ContentStore>();
  let active = 0;
  const waiting: Array<() => void> = [];
  return {
    client(host) {
      const target = known.get(host) ?? endpointFor(host);
      return pool.get(target).client;
    },
    registry(host) {
      let store = registries.get(host);
      if (!store) registries.set(host, (store = new RegistryStore(pool.get(known.get(host) ?? endpointFor(host)))));
      return store;
    },
    store: (target) => stores.get(target),
    async limit(fn) {
      if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
      active++;
      try {
        return await fn();
      } finally {
        active--;
        waiting.shift()?.();
      }
    },
  };
}

function endpointFor(host: string): { host: string; apiHost: string; authKey: string; scheme: 'http' | 'https' } {
  const loopback = isLoopbackHost(host);
  const parsed = parseRegistryUrl(host, loopback);
  if (!parsed.ok) return { host, apiHost: host, authKey: host, scheme: loopback ? 'http' : 'https' };
  return parsed.address;
}

/** `linux/arm64` for an index entry's platform (`arm64/v8` and friends normalised). */
export function canonicalPlatform(p: { os?: string; architecture?: string; variant?: string } | undefined): string {
  if (!p?.os || !p.architecture) return 'unknown';
  const raw: Platform = { os: p.os, architecture: p.architecture, ...(p.variant ? { variant: p.variant } : {}) };
  const parsed = parsePlatform(formatPlatform(raw));
  return parsed.ok ? formatPlatform(parsed.platform) : formatPlatform(raw);
}
