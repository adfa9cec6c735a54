/**
 * Which rules decide what a build's context holds, by builder and Docker client — each checked
 * against the real builder in test/e2e/dockerignore.test.ts:
 * - `buildkit`: buildx, and BuildKit from clients 23+ — per-pattern parent results, excluded
 *   directories listed only when something inside is kept.
 * - `buildkit-2020`: BuildKit from clients up to 20.10 (DOCKER_BUILDKIT=1) — regular-expression
 *   patterns, parents checked at each pattern's depth, and an excluded directory that some `!`
 *   pattern starts inside is itself sent (possibly empty).
 * - `classic` / `classic-2020`: the legacy builder's tar of the context (any parent matches, or
 *   the 20.10 rule); an excluded directory is entered only for a `!` pattern that starts inside it
 *   and exists only through what is kept inside it.
 * Pure.
 */

export type ContextRules = 'buildkit' | 'buildkit-2020' | 'classic' | 'classic-2020';

export function contextRulesFor(kind: 'buildx' | 'buildkit' | 'legacy', clientVersion: string): ContextRules {
  // The docker CLI's major version (`24.0.7` → 24): before 23 its builder is the legacy one's rules.
  const old = Number.parseInt(clientVersion.split('.')[0] ?? '', 10) < 23;
  if (kind === 'buildx') return 'buildkit';
  if (kind === 'buildkit') return old ? 'buildkit-2020' : 'buildkit';
  return old ? 'classic-2020' : 'classic';
}
