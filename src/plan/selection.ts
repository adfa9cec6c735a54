/**
 * `--image` / `--platform` selectors checked against the config and expanded: a selected image
 * brings the images it is built on (`ref()`), since it cannot be built without their digests. Pure.
 */
import { imageDependencies } from '../config/rules.js';
import { formatPlatform, parsePlatform } from '../config/platform.js';
import type { ResolvedConfig } from '../config/resolved.js';
import { closest } from '../config/suggest.js';
import { closure } from '../config/graph-order.js';
import { isImagePattern, matchImages } from './image-patterns.js';

export interface Selection {
  /** Names or globs (`svc-*`, `web/**`); see image-patterns.ts. */
  readonly images?: readonly string[];
  readonly platforms?: readonly string[];
}

export interface ResolvedSelection {
  /** Images in the plan (selected ones and what they are built on). */
  readonly images: ReadonlySet<string>;
  /** Canonical platforms to build, or undefined for all of each image's platforms. */
  readonly platforms?: ReadonlySet<string>;
  /** Images pulled in only because a selected image is built on them. */
  readonly implied: readonly string[];
}

export type SelectionResult = { ok: true; selection: ResolvedSelection } | { ok: false; message: string; hint: string };

export function resolveSelection(config: ResolvedConfig, selection: Selection): SelectionResult {
  const names = Object.keys(config.images);
  const asked = selection.images?.length ? selection.images : undefined;
  const matched = asked ? matchImages(names, asked) : { images: names, unmatched: [] };
  if (matched.unmatched.length > 0) return unmatchedProblem(config.file, names, matched.unmatched);
  const chosen = matched.images;
  let platforms: Set<string> | undefined;
  if (selection.platforms?.length) {
    platforms = new Set();
    for (const raw of selection.platforms) {
      const parsed = parsePlatform(raw);
      if (!parsed.ok) return { ok: false, message: `--platform ${parsed.message}`, hint: 'e.g. --platform linux/arm64' };
      platforms.add(formatPlatform(parsed.platform));
    }
  }
  const images = closure(chosen, (name) => imageDependencies(config.images[name]!));
  const implied = [...images].filter((n) => !chosen.includes(n));
  return { ok: true, selection: { images, ...(platforms ? { platforms } : {}), implied } };
}

/** Every pattern that matched nothing, at once; a plain name gets the closest name as a guess. */
function unmatchedProblem(file: string, names: readonly string[], unmatched: readonly string[]): SelectionResult {
  const what = unmatched.map((pattern) => {
    if (isImagePattern(pattern)) return `--image ${pattern}: the pattern matches no image in ${file}`;
    const guess = closest(pattern, names);
    return `--image ${pattern}: there is no image "${pattern}" in ${file}${guess ? ` — did you mean "${guess}"?` : ''}`;
  });
  const syntax = unmatched.some(isImagePattern) ? ' (in patterns * and ? match within a "/"-separated part, ** across parts)' : '';
  return { ok: false, message: what.join('\n'), hint: `images are: ${names.join(', ')}${syntax}` };
}
