/**
 * The tags an image's `gitTags()` rule gave the first-parent ancestors of HEAD, nearest first: the
 * tags it was most likely published under before its tags moved (a tag per commit or per release),
 * where the layer cache looks for the previous image. Only what a commit itself determines counts —
 * its sha and the version tags on it; `branch`, `pr` and `latest` name no particular commit. Pure.
 */
import type { GitTagsOptions } from './git-tags.js';
import { resolveGitTags } from './resolve-git-tags.js';

export interface AncestorCommit {
  readonly sha: string;
  /** Git tags on that commit. */
  readonly tags: readonly string[];
}

export interface AncestorTag {
  readonly tag: string;
  /** `tag of commit 1a2b3c4d5e6f (HEAD~2)`. */
  readonly from: string;
}

/** `ancestors[0]` is HEAD~1, `ancestors[1]` HEAD~2, … (first parents). */
export function ancestorTags(rule: GitTagsOptions, ancestors: readonly AncestorCommit[]): AncestorTag[] {
  const commitRule: GitTagsOptions = { ...rule, branch: false, pr: false, latest: false };
  const out: AncestorTag[] = [];
  ancestors.forEach((commit, i) => {
    const r = resolveGitTags(commitRule, { sha: commit.sha, tagsAtHead: commit.tags, allTags: [] });
    if (!r.ok) return;
    for (const t of r.tags) if (!out.some((o) => o.tag === t.tag)) out.push({ tag: t.tag, from: `tag of commit ${commit.sha.slice(0, 12)} (HEAD~${i + 1})` });
  });
  return out;
}
