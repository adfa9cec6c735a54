/**
 * Whether a shard directory would be part of a build context: inside the context and not excluded
 * by the ignore file the build applies. If it were, every build of the shard run would be sent the
 * layout written so far (a growing context), and a `COPY . .` would put it in the image. Edge:
 * reads the ignore files.
 */
import path from 'node:path';
import type { BuilderKind } from '../builders/builder.js';
import { isExcluded } from './dockerignore.js';
import type { ContextRules } from './context-rules.js';
import { loadIgnore } from './snapshot-context.js';

export interface BuildContext {
  readonly image: string;
  readonly context: string;
  readonly dockerfile: string;
}

/** The contexts (one per image) that would see `dir`. */
export async function contextsHolding(dir: string, contexts: readonly BuildContext[], builder: BuilderKind, rules: ContextRules): Promise<BuildContext[]> {
  const holding: BuildContext[] = [];
  for (const c of contexts) {
    const rel = path.relative(c.context, dir);
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    if (rel !== '') {
      const { matcher } = await loadIgnore({ context: c.context, dockerfile: c.dockerfile, builder }, rules);
      if (matcher && isExcluded(matcher, rel.split(path.sep).join('/'))) continue;
    }
    holding.push(c);
  }
  return holding;
}
