/**
 * A `cache` entry the builder this machine has cannot do (a `gha` source without buildx, any
 * cache with the legacy builder) is a config error naming the builder and the alternative,
 * raised before anything is built or pushed.
 */
import { formatConfigPath } from '../config/issue.js';
import type { ResolvedConfig } from '../config/resolved.js';
import { MultiarchError } from '../errors/multiarch-error.js';
import { cacheIssues } from '../plan/cache-plan.js';

export function checkCacheSettings(config: ResolvedConfig, images: ReadonlySet<string>, kind: 'buildx' | 'buildkit' | 'legacy', binary: string): void {
  const issues = cacheIssues(config, images, kind, `docker ${kind === 'buildkit' ? 'build with DOCKER_BUILDKIT=1' : kind === 'buildx' ? 'buildx' : 'build (legacy)'}, ${binary}`);
  if (issues.length === 0) return;
  throw new MultiarchError('E_CONFIG_INVALID', `${config.file}: ${issues.length === 1 ? '1 problem' : `${issues.length} problems`} with the builder this machine has`, {
    details: issues.map((i) => `${formatConfigPath(i.path)}: ${i.message}${i.hint ? ` (${i.hint})` : ''}`),
    hint: 'fix the fields above or use another builder; nothing was built or pushed',
  });
}
