/**
 * `--image` / `--platform` selectors checked against the config and expanded: a selected image
 * brings the images it is built on (`ref()`), since it cannot be built without their digests. Pure.
 */
import { imageDependencies } from '../config/rules.js';
import { formatPlatform, parsePlatform } from '../config/platform.js';
import type { ResolvedConfig } from '../config/resolved.js';
import { closest } from '../config/suggest.js';
import { closure } from '../config/graph-order.js';

export interface Selection {
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
  const chosen = selection.images?.length ? selection.images : names;
  for (const name of chosen) {
    if (!config.images[name]) {
      const guess = closest(name, names);
      return {
        ok: false,
        message: `--image ${name}: there is no image "${name}" in ${config.file}${guess ? ` — did you mean "${guess}"?` : ''}`,
        hint: `images are: ${names.join(', ')}`,
      };
    }
  }
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
