/**
 * `tags: gitTags({ … })`: an image's tags from the repository at plan time (version tags, the
 * commit, the branch, the pull request), the way docker/metadata-action derives them, with no CI
 * specifics in the config. `gitTags()` only records the rule (plain data, so a second copy of
 * multiarch loaded by the config is no problem); resolve-git-tags.ts turns it into tags. Pure.
 */

export interface GitTagsOptions {
  /** Which git tags are versions (default `'v'`): `'api/v'` makes `api/v2.0.0` version 2.0.0 of this image. */
  readonly prefix?: string;
  /** Tags for a version tag at HEAD (default `['{{version}}']`); pre-releases get only the `{{version}}` ones. */
  readonly semver?: readonly string[];
  /** `sha-<7 hex>` of HEAD; `{ length, prefix }` to shape it. */
  readonly sha?: boolean | { readonly length?: number; readonly prefix?: string };
  /** The branch name, made tag-safe (`feature/x` → `feature-x`). */
  readonly branch?: boolean;
  /** `pr-<n>` on a pull/merge request build (from the CI's env: git cannot know the number). */
  readonly pr?: boolean;
  /** `'auto'`: `latest` only for the highest non-pre-release version; `true`: always. */
  readonly latest?: 'auto' | boolean;
}

export interface GitTagsRule {
  readonly multiarch: 'gitTags';
  readonly options: GitTagsOptions;
}

export function gitTags(options: GitTagsOptions = {}): GitTagsRule {
  return { multiarch: 'gitTags', options };
}

export function isGitTagsRule(value: unknown): value is GitTagsRule {
  return typeof value === 'object' && value !== null && (value as { multiarch?: unknown }).multiarch === 'gitTags';
}
