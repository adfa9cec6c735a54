/**
 * Which build contexts of a plan would include a directory: those it lies inside and whose ignore
 * file (as the builder applies it) does not exclude it. A shard written there, or multiarch's own
 * cache and layouts, would be sent with every build — and a `COPY . .` would put them in the image;
 * multiarch rewrites them, so the context would change on every run. Edge: reads the ignore files.
 */
import path from 'node:path';
import type { BuilderKind } from '../plan/nodes.js';
import type { Plan } from '../plan/nodes.js';
import { contextRulesFor } from './context-rules.js';
import { isExcluded } from './dockerignore.js';
import { loadIgnore } from './snapshot-context.js';

export interface BuildContext {
  readonly image: string;
  readonly context: string;
  readonly dockerfile: string;
}

/** The docker client that builds: its kind and version decide how the ignore file is read. */
export interface IgnoreReader {
  readonly kind: BuilderKind;
  readonly version: string;
}

/**
 * multiarch's own directories a plan writes: the cache directory and every OCI layout target.
 * They are never inputs (snapshots leave them out), whatever context they sit in.
 */
export function ownDirectories(plan: Plan, cacheDir: string | undefined): string[] {
  const dirs = new Set(cacheDir ? [path.resolve(cacheDir)] : []);
  for (const n of Object.values(plan.nodes)) if ((n.kind === 'push' || n.kind === 'index') && n.target.layout) dirs.add(path.resolve(n.target.layout));
  return [...dirs];
}

/** The plan's build contexts (one per image) that would see `dir`. */
export async function contextsHolding(dir: string, plan: Plan, builder: IgnoreReader): Promise<BuildContext[]> {
  const contexts = new Map<string, BuildContext>();
  for (const n of Object.values(plan.nodes)) if (n.kind === 'build') contexts.set(n.image, { image: n.image, context: n.context, dockerfile: n.dockerfile });
  const rules = contextRulesFor(builder.kind, builder.version);
  const holding: BuildContext[] = [];
  for (const c of contexts.values()) {
    const rel = path.relative(c.context, dir);
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    if (rel !== '') {
      const { matcher } = await loadIgnore({ context: c.context, dockerfile: c.dockerfile, builder: builder.kind }, rules);
      if (matcher && isExcluded(matcher, rel.split(path.sep).join('/'))) continue;
    }
    holding.push(c);
  }
  return holding;
}
