/**
 * multiarch's own directories — the cache directory when the user put it in the project
 * (`cacheDir`, MULTIARCH_CACHE_DIR) and OCI layout targets — inside a build context that does not
 * exclude them. They never count as inputs (so they never make an image stale), but the engine is
 * still sent them, and a `COPY . .` would put them in the image: the plan says so per image, with
 * the line to add to the context's ignore file. Edge.
 */
import path from 'node:path';
import { contextsHolding, ownDirectories, type IgnoreReader } from '../inputs/contexts-holding.js';
import type { Plan, PlanNote } from '../plan/nodes.js';

export async function ownFilesNotes(plan: Plan, cacheDir: string, builder: IgnoreReader | undefined): Promise<PlanNote[]> {
  // Without a docker client: a current BuildKit's rules.
  const reader = builder ?? { kind: 'buildkit' as const, version: '99' };
  const notes: PlanNote[] = [];
  for (const dir of ownDirectories(plan, cacheDir)) {
    for (const c of await contextsHolding(dir, plan, reader)) {
      const entry = path.relative(c.context, dir).split(path.sep).join('/');
      const ignoreFile = path.relative(path.dirname(plan.configFile), path.join(c.context, '.dockerignore'));
      notes.push({
        image: c.image,
        message: `its build context holds ${entry}/, multiarch's own files: they are not inputs (never a reason to rebuild), but the engine is sent them with every build — add "${entry}" to ${ignoreFile}`,
      });
    }
  }
  return notes;
}
