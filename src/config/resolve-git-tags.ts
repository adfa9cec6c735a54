/**
 * A `gitTags()` rule + what git says about HEAD → the image's tags, and for each tag the git fact
 * it came from (the plan shows them). A rule that yields no tag is a problem naming what matched
 * nothing. Pure: the shell reads git (facts/git-ref-facts.ts).
 */
import type { GitTagsOptions } from './git-tags.js';
import type { ConfigIssue } from './issue.js';
import type { ResolvedConfig, ResolvedImage } from './resolved.js';

export interface GitRefFacts {
  /** HEAD's full sha; absent outside a repository. */
  readonly sha?: string;
  /** The branch checked out (or the CI's, on a detached checkout). */
  readonly branch?: string;
  /** Git tags pointing at HEAD. */
  readonly tagsAtHead: readonly string[];
  /** Every git tag in the repository (for `latest: 'auto'`). */
  readonly allTags: readonly string[];
  /** The pull/merge request number, from the CI's env. */
  readonly pr?: number;
}

export interface ResolvedTag {
  readonly tag: string;
  /** `git tag api/v2.0.0 at HEAD`, `commit abc1234`, `branch main`. */
  readonly from: string;
}

export type GitTagsResult = { ok: true; tags: readonly ResolvedTag[] } | { ok: false; message: string; hint: string };

interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly pre?: string;
  readonly text: string;
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function resolveGitTags(options: GitTagsOptions, git: GitRefFacts): GitTagsResult {
  const prefix = options.prefix ?? 'v';
  const out: ResolvedTag[] = [];
  const add = (tag: string, from: string) => {
    if (!out.some((t) => t.tag === tag)) out.push({ tag, from });
  };
  const versions = (tags: readonly string[]) => tags.flatMap((t) => (t.startsWith(prefix) ? parseVersion(t.slice(prefix.length)).map((v) => ({ git: t, v })) : []));
  const atHead = versions(git.tagsAtHead).sort((a, b) => compare(b.v, a.v))[0];
  if (atHead) {
    const from = `git tag ${atHead.git} at HEAD`;
    for (const template of options.semver ?? ['{{version}}']) {
      if (atHead.v.pre && !template.includes('{{version}}')) continue;
      add(sanitizeTag(renderSemver(template, atHead.v)), from);
    }
    const latest = options.latest ?? false;
    const highest = versions(git.allTags).filter((x) => !x.v.pre).sort((a, b) => compare(b.v, a.v))[0];
    if (latest === true || (latest === 'auto' && !atHead.v.pre && highest && compare(highest.v, atHead.v) === 0)) {
      add('latest', latest === true ? from : `${from}, the highest ${prefix}<version>`);
    }
  } else if (options.latest === true) {
    add('latest', 'latest: true');
  }
  if (options.sha && git.sha) {
    const shape = typeof options.sha === 'object' ? options.sha : {};
    add(`${shape.prefix ?? 'sha-'}${git.sha.slice(0, shape.length ?? 7)}`, `commit ${git.sha.slice(0, 12)}`);
  }
  if (options.branch && git.branch) add(sanitizeTag(git.branch), `branch ${git.branch}`);
  if (options.pr && git.pr !== undefined) add(`pr-${git.pr}`, `pull request #${git.pr}`);
  if (out.length > 0) return { ok: true, tags: out };
  return { ok: false, ...nothingMatched(options, git, prefix) };
}

function nothingMatched(options: GitTagsOptions, git: GitRefFacts, prefix: string): { message: string; hint: string } {
  const head = git.sha ? git.sha.slice(0, 7) : 'HEAD';
  const why = [`no git tag ${prefix}<version> points at ${head}${git.tagsAtHead.length ? ` (it has ${git.tagsAtHead.join(', ')})` : ''}`];
  if (options.sha && !git.sha) why.push('sha: not in a git repository');
  if (options.branch && !git.branch) why.push('branch: HEAD is detached and the CI names no branch');
  if (options.pr && git.pr === undefined) why.push('pr: this is not a pull request build');
  return {
    message: `gitTags() yields no tag: ${why.join('; ')}`,
    hint: `tag the commit (git tag ${prefix}1.0.0), or add a rule that always matches, e.g. gitTags({ sha: true })`,
  };
}

function parseVersion(text: string): Version[] {
  const m = SEMVER.exec(text);
  if (!m) return [];
  return [{ major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), ...(m[4] ? { pre: m[4] } : {}), text: text.replace(/\+.*$/, '') }];
}

function compare(a: Version, b: Version): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  if (a.pre === b.pre) return 0;
  if (!a.pre) return 1;
  if (!b.pre) return -1;
  return a.pre < b.pre ? -1 : 1;
}

function renderSemver(template: string, v: Version): string {
  return template
    .replaceAll('{{version}}', v.text)
    .replaceAll('{{major}}', String(v.major))
    .replaceAll('{{minor}}', String(v.minor))
    .replaceAll('{{patch}}', String(v.patch));
}

/** Docker's tag grammar: letters, digits, `_ . -`, not starting with `.`/`-`, at most 128. */
export function sanitizeTag(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[.-]+/, '').slice(0, 128);
}

export interface AppliedGitTags {
  readonly config: ResolvedConfig;
  /** Per image: which git fact produced which tag (shown by plan). */
  readonly notes: ReadonlyArray<{ readonly image: string; readonly message: string }>;
  readonly issues: readonly ConfigIssue[];
}

/** Every selected image's gitTags() rule resolved: its tags, and its publish targets' tags. */
export function applyGitTags(config: ResolvedConfig, images: Iterable<string>, git: GitRefFacts): AppliedGitTags {
  const notes: Array<{ image: string; message: string }> = [];
  const issues: ConfigIssue[] = [];
  const resolved: Record<string, ResolvedImage> = { ...config.images };
  for (const name of images) {
    const image = config.images[name];
    if (!image?.tagRule) continue;
    const r = resolveGitTags(image.tagRule, git);
    if (!r.ok) {
      issues.push({ path: ['images', name, 'tags'], message: r.message, hint: r.hint });
      continue;
    }
    const tags = r.tags.map((t) => t.tag);
    const froms = [...new Set(r.tags.map((t) => t.from))];
    notes.push({ image: name, message: `tags from git: ${froms.map((f) => `${r.tags.filter((t) => t.from === f).map((t) => t.tag).join(', ')} ← ${f}`).join('; ')}` });
    resolved[name] = { ...image, tags, publish: image.publish.map((p) => ({ ...p, tags: p.allTags ? tags : p.tags.filter((t) => tags.includes(t)) })) };
  }
  return { config: { ...config, images: resolved }, notes, issues };
}
