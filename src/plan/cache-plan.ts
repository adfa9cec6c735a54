/**
 * Per build, the layer cache it reads and writes (docs/caching.md): the automatic source (the
 * platform image multiarch last published, filled in by the incremental planner, which reads the
 * registry state), the config's explicit `cache.from`/`cache.to`, and the inline cache every
 * BuildKit build embeds so the next build can reuse the image it publishes. Also what the chosen
 * builder cannot do, as config issues naming the builder and the alternative. Pure.
 */
import type { CacheLocation, ResolvedCache } from '../config/cache.js';
import { AUTOMATIC_CACHE } from '../config/cache.js';
import type { CacheSourceSpec, CacheTargetSpec } from '../config/cache-spec.js';
import type { ConfigIssue } from '../config/issue.js';
import { formatPlatform, type Platform } from '../config/platform.js';
import type { ResolvedConfig, ResolvedImage } from '../config/resolved.js';
import { renderTemplate, templateVars } from '../config/template.js';

export interface BuildCache {
  readonly from: readonly CacheSourceSpec[];
  readonly to: readonly CacheTargetSpec[];
  /** Why there is no automatic source (`not published yet`, `cache: false`, …). */
  readonly none?: string;
}

export type CacheBuilderKind = 'buildx' | 'buildkit' | 'legacy';

/** The build's cache before the registry state is known; undefined when it has none at all. */
export function planBuildCache(config: ResolvedConfig, image: ResolvedImage, platform: Platform, kind: CacheBuilderKind | undefined): BuildCache | undefined {
  const cache = image.cache ?? AUTOMATIC_CACHE;
  if (!cache.enabled) return { from: [], to: [], none: 'cache: false in the config' };
  if (kind === 'legacy') return { from: [], to: [], none: 'the legacy builder has no remote cache' };
  const scope = `${image.name}-${formatPlatform(platform).replaceAll('/', '-')}`;
  const from = cache.from.map((c) => locate(config, image, platform, c, scope) as CacheSourceSpec);
  const to: CacheTargetSpec[] = [{ type: 'inline' }, ...cache.to.map((t) => ({ ...locate(config, image, platform, t, scope), ...(t.mode ? { mode: t.mode } : {}) }) as CacheTargetSpec)];
  return { from, to, none: 'registry state not read' };
}

/** A location as the builder takes it: refs rendered per image and platform, gha scoped likewise. */
function locate(config: ResolvedConfig, image: ResolvedImage, platform: Platform, c: CacheLocation, scope: string) {
  if (c.type === 'local') return { type: 'local' as const, dir: c.dir };
  if (c.type === 'gha') return { type: 'gha' as const, scope: c.scope ?? scope };
  const rendered = renderTemplate(c.tag, templateVars(image.name, image.tags[0]!, platform));
  const tag = rendered.ok ? rendered.value : scope;
  return { type: 'registry' as const, ref: `${config.registries[c.registry]!.host}/${c.repository}:${tag}` };
}

/** What the builder cannot do of the selected images' `cache` settings, naming it and the alternative. */
export function cacheIssues(config: ResolvedConfig, images: ReadonlySet<string>, kind: CacheBuilderKind, builder: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const image of Object.values(config.images)) {
    if (!images.has(image.name) || !image.cache?.enabled) continue;
    issues.push(...imageCacheIssues(image.name, image.cache, kind, builder));
  }
  return issues;
}

function imageCacheIssues(name: string, cache: ResolvedCache, kind: CacheBuilderKind, builder: string): ConfigIssue[] {
  if (kind === 'buildx') return [];
  const at = (list: 'from' | 'to', i: number) => ['images', name, 'cache', list, i];
  const issues: ConfigIssue[] = [];
  if (kind === 'legacy') {
    if (cache.from.length + cache.to.length > 0 || cache.mode) {
      issues.push({
        path: ['images', name, 'cache'],
        message: `the legacy builder (${builder}) has no remote cache`,
        hint: 'use BuildKit (DOCKER_BUILDKIT=1 or buildx), or remove cache',
      });
    }
    return issues;
  }
  const classic = `classic BuildKit (${builder}) reads and writes only inline cache`;
  cache.from.forEach((c, i) => {
    if (c.type !== 'registry') issues.push({ path: at('from', i), message: `a ${c.type} cache source needs buildx: ${classic}`, hint: 'install buildx, or use a { registry, repository } source' });
  });
  cache.to.forEach((t, i) => {
    // The published image with its inline cache is classic BuildKit's only cache export.
    issues.push({ path: at('to', i), message: `a ${t.type} cache target needs buildx: ${classic}, embedded in the published image`, hint: 'install buildx, or remove the target (the automatic cache needs none)' });
  });
  if (cache.mode === 'max') issues.push({ path: ['images', name, 'cache', 'to'], message: `mode "max" needs buildx: ${classic}, which is mode "min"`, hint: 'install buildx, or drop { mode: "max" }' });
  return issues;
}
