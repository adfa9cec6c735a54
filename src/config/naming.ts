/**
 * Renders an image's publish entry into the exact repository:tag names it writes: one per platform
 * and tag for platform images, one per tag for the multi-arch index. Shared by the config rules
 * (collision checks) and the planner, so both see the same names. Pure.
 */
import type { ConfigIssue } from './issue.js';
import { formatPlatform, type Platform } from './platform.js';
import type { ResolvedImage, ResolvedPublish } from './resolved.js';
import { renderTemplate, templateVars, type Template } from './template.js';

/** Distribution's reference grammar for a repository path and for a tag. */
const REPOSITORY_RE = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;
export const TAG_HINT = 'tags are up to 128 letters, digits, "_", "." and "-", not starting with "." or "-"';

export function isValidTag(tag: string): boolean {
  return TAG_RE.test(tag);
}

export interface RepoTag {
  readonly repository: string;
  readonly tag: string;
}

export interface PlatformNames {
  readonly platform: Platform;
  /** Every repository:tag this platform's image is written to (one per image tag). */
  readonly refs: readonly RepoTag[];
  /** `platformTag: false`: the repository that holds it by digest only. */
  readonly digestRepository?: string;
}

export interface IndexNames {
  /** The image tag (`v1`) this index is for. */
  readonly tag: string;
  readonly ref: RepoTag;
}

export interface PublishNames {
  readonly platforms: readonly PlatformNames[];
  readonly indexes: readonly IndexNames[];
}

export type PublishNamesResult = { ok: true; names: PublishNames } | { ok: false; issues: ConfigIssue[] };

export function renderPublishNames(image: ResolvedImage, publish: ResolvedPublish): PublishNamesResult {
  const issues: ConfigIssue[] = [];
  const at = (field: string) => ['images', image.name, 'publish', publish.index, field];
  const render = (template: Template, field: string, tag: string, platform: Platform | undefined, kind: 'repository' | 'tag') => {
    const r = renderTemplate(template, templateVars(image.name, tag, platform));
    if (!r.ok) {
      issues.push({ path: at(field), message: r.message });
      return undefined;
    }
    const valid = kind === 'repository' ? REPOSITORY_RE.test(r.value) : TAG_RE.test(r.value);
    if (!valid) {
      const forWhat = platform ? ` for ${formatPlatform(platform)}` : '';
      issues.push({
        path: at(field),
        message: `renders to "${r.value}"${forWhat}, which is not a valid ${kind} name`,
        hint:
          kind === 'repository'
            ? 'repositories are lower-case letters, digits and separators (. _ __ -) in "/"-separated parts'
            : TAG_HINT,
      });
      return undefined;
    }
    return r.value;
  };
  const platforms = image.platforms.map((platform) => ({
    platform,
    ...(publish.platformTag === false ? digestOnly(render(publish.platformRepository, 'platformRepository', publish.tags[0] ?? '', platform, 'repository')) : {}),
    refs: publish.tags.flatMap((tag) => {
      const repository = render(publish.platformRepository, 'platformRepository', tag, platform, 'repository');
      // `platformTag: false`: by digest only, into the platform repository (see digestRepository).
      if (publish.platformTag === false) return [];
      const platformTag = render(publish.platformTag, 'platformTag', tag, platform, 'tag');
      return repository && platformTag ? [{ repository, tag: platformTag }] : [];
    }),
  }));
  if (!REPOSITORY_RE.test(publish.repository)) {
    issues.push({
      path: at('repository'),
      message: `"${publish.repository}" is not a valid repository name`,
      hint: 'repositories are lower-case letters, digits and separators (. _ __ -) in "/"-separated parts, e.g. "team/web"',
    });
  }
  const indexes = publish.tags.flatMap((tag) => {
    const indexTag = render(publish.indexTag, 'indexTag', tag, undefined, 'tag');
    return indexTag ? [{ tag, ref: { repository: publish.repository, tag: indexTag } }] : [];
  });
  return issues.length > 0 ? { ok: false, issues: dedupe(issues) } : { ok: true, names: { platforms, indexes } };
}

function digestOnly(repository: string | undefined): { digestRepository?: string } {
  return repository ? { digestRepository: repository } : {};
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path.join('.')}\0${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
