/**
 * `docker build` flags for a build's layer cache (docs/caching.md). Pure.
 * - classic BuildKit (dockerd's own, DOCKER_BUILDKIT=1): inline cache only — the build-arg
 *   BUILDKIT_INLINE_CACHE=1 embeds the cache metadata in the image config (exported and pushed
 *   as is, so the published image carries it) and `--cache-from <image>` reads an image's.
 * - buildx: `--cache-from`/`--cache-to` with typed entries; `type=registry` reads an image's
 *   inline cache as well as a dedicated cache manifest.
 */
import type { BuildSpec } from '../exec/ports/builder.js';
import type { CacheSourceSpec, CacheTargetSpec } from '../config/cache-spec.js';

export function cacheFlags(cache: BuildSpec['cache'], kind: 'buildx' | 'buildkit' | 'legacy'): string[] {
  if (!cache || kind === 'legacy') return [];
  const args: string[] = [];
  if (kind === 'buildkit') {
    if (cache.to.some((t) => t.type === 'inline')) args.push('--build-arg', 'BUILDKIT_INLINE_CACHE=1');
    for (const source of cache.from) if (source.type === 'registry') args.push('--cache-from', source.ref);
    return args;
  }
  for (const source of cache.from) args.push('--cache-from', buildxSource(source));
  for (const target of cache.to) args.push('--cache-to', buildxTarget(target));
  return args;
}

function buildxSource(source: CacheSourceSpec): string {
  if (source.type === 'registry') return `type=registry,ref=${source.ref}`;
  if (source.type === 'local') return `type=local,src=${source.dir}`;
  return `type=gha,scope=${source.scope}`;
}

function buildxTarget(target: CacheTargetSpec): string {
  if (target.type === 'inline') return 'type=inline';
  const mode = target.mode ? `,mode=${target.mode}` : '';
  // image-manifest=true: registries that refuse an index of cache blobs (ECR) take it as an image.
  if (target.type === 'registry') return `type=registry,ref=${target.ref}${mode},image-manifest=true,oci-mediatypes=true`;
  if (target.type === 'local') return `type=local,dest=${target.dir}${mode}`;
  return `type=gha,scope=${target.scope}${mode}`;
}
