/**
 * `cache`: where an image's builds read layer cache from and write it to, beyond the automatic
 * source (the image multiarch last published for that image and platform, docs/caching.md).
 * `false` turns caching off; `{ from, to }` lists typed sources and targets. The schema, its
 * resolved form, and normalization (registry names resolved, dirs made absolute). Pure.
 */
import path from 'node:path';
import { z } from 'zod';
import type { ConfigIssue } from './issue.js';

const text = (what: string) => z.string().min(1, { error: `${what} must not be empty` });

/** A dedicated cache ref: `{tag}` defaults to `cache-{image}-{platform}`, one per image and platform. */
const registryCache = z.strictObject({
  /** A key of `registries`. */
  registry: text('registry'),
  repository: text('repository'),
  /** Placeholders `{image}`, `{platform}`, `{os}`, `{arch}`, `{variant}`. Default `cache-{image}-{platform}`. */
  tag: text('tag').optional(),
});
const localCache = z.strictObject({ type: z.literal('local'), /** Relative to the config file. */ dir: text('dir') });
const ghaCache = z.strictObject({ type: z.literal('gha'), scope: text('scope').optional() });
const mode = z.enum(['min', 'max']);

export const cacheSchema = z.union(
  [
    z.literal(false),
    z.strictObject({
      from: z.array(z.union([registryCache, localCache, ghaCache])).optional(),
      to: z
        .array(
          z.union([
            registryCache.extend({ mode: mode.optional() }),
            localCache.extend({ mode: mode.optional() }),
            ghaCache.extend({ mode: mode.optional() }),
            /** The mode of the automatic (inline) cache: only `min` exists for it. */
            z.strictObject({ mode }),
          ]),
        )
        .optional(),
    }),
  ],
  { error: 'expected false, or { from: [...], to: [...] } with { registry, repository, tag? }, { type: "local", dir }, { type: "gha", scope? } entries' },
);

export type UserCache = z.input<typeof cacheSchema>;
export const DEFAULT_CACHE_TAG = 'cache-{image}-{platform}';

export type CacheLocation =
  | { readonly type: 'registry'; readonly registry: string; readonly repository: string; readonly tag: string }
  | { readonly type: 'local'; readonly dir: string }
  | { readonly type: 'gha'; readonly scope?: string };

export type ResolvedCacheTarget = CacheLocation & { readonly mode?: 'min' | 'max' };

/** `enabled: false` is `cache: false`; otherwise the automatic source plus these. */
export interface ResolvedCache {
  readonly enabled: boolean;
  readonly from: readonly CacheLocation[];
  readonly to: readonly ResolvedCacheTarget[];
  /** `{ mode }` alone: for the automatic cache. */
  readonly mode?: 'min' | 'max';
}

export const AUTOMATIC_CACHE: ResolvedCache = { enabled: true, from: [], to: [] };

export function normalizeCache(
  image: string,
  user: UserCache | undefined,
  // Only whether each registry is an OCI layout matters here (resolved.ts imports this file's types).
  registries: Readonly<Record<string, { readonly layout?: string }>>,
  dir: string,
  issues: ConfigIssue[],
): ResolvedCache {
  if (user === undefined) return AUTOMATIC_CACHE;
  if (user === false) return { enabled: false, from: [], to: [] };
  let automaticMode: 'min' | 'max' | undefined;
  const locate = (entry: Record<string, unknown>, at: (string | number)[]): CacheLocation | undefined => {
    if (entry.type === 'local') return { type: 'local', dir: path.resolve(dir, entry.dir as string) };
    if (entry.type === 'gha') return { type: 'gha', ...(entry.scope ? { scope: entry.scope as string } : {}) };
    const name = entry.registry as string;
    const registry = registries[name];
    if (!registry || registry.layout) {
      issues.push({
        path: [...at, 'registry'],
        message: registry ? `"${name}" is an OCI layout; a cache ref needs a registry server` : `"${name}" is not a key of registries`,
        hint: `use one of: ${Object.keys(registries).filter((k) => !registries[k]!.layout).join(', ') || '(define a registry first)'}`,
      });
      return undefined;
    }
    return { type: 'registry', registry: name, repository: entry.repository as string, tag: (entry.tag as string | undefined) ?? DEFAULT_CACHE_TAG };
  };
  const from = (user.from ?? []).flatMap((entry, i) => locate(entry, ['images', image, 'cache', 'from', i]) ?? []);
  const to: ResolvedCacheTarget[] = [];
  (user.to ?? []).forEach((entry, i) => {
    if (!('type' in entry) && !('registry' in entry)) {
      automaticMode = entry.mode;
      return;
    }
    const at = locate(entry, ['images', image, 'cache', 'to', i]);
    if (at) to.push({ ...at, ...(entry.mode ? { mode: entry.mode } : {}) });
  });
  return { enabled: true, from, to, ...(automaticMode ? { mode: automaticMode } : {}) };
}
