/**
 * multiarch's own directories — the cache directory when the user put it in the project
 * (`cacheDir`, MULTIARCH_CACHE_DIR) and OCI layout targets — inside a build context that does not
 * exclude them. They never count as inputs (so they never make an image stale). With BuildKit the
 * engine is not sent them either: the plan lists them per image (`ownDirs`, the build node's
 * `ignore`) and the build adds them to the user's ignore rules. The legacy builder reads only the
 * context's `.dockerignore`: the plan says the engine still gets them, with the line to add. Edge.
 */
import path from 'node:path';
import { contextsHolding, ownDirectories, type IgnoreReader } from '../inputs/contexts-holding.js';
import type { Plan, PlanNote } from '../plan/nodes.js';

export interface OwnFiles {
  readonly notes: PlanNote[];
  /** By image: the context-relative directories its builds leave out. */
  readonly ownDirs: Record<string, string[]>;
}

export async function ownFilesNotes(plan: Plan, cacheDir: string, builder: IgnoreReader | undefined): Promise<OwnFiles> {
  // Without a docker client: a current BuildKit's rules.
  const reader = builder ?? { kind: 'buildkit' as const, version: '99' };
  const notes: PlanNote[] = [];
  const ownDirs: Record<string, string[]> = {};
  for (const dir of ownDirectories(plan, cacheDir)) {
    for (const c of await contextsHolding(dir, plan, reader)) {
      const entry = path.relative(c.context, dir).split(path.sep).join('/');
      if (reader.kind !== 'legacy') {
        if (entry !== '') (ownDirs[c.image] ??= []).push(entry);
        notes.push({ image: c.image, message: `its build context holds ${entry}/, multiarch's own files: they are not inputs (never a reason to rebuild) and the engine is not sent them (added to the build's ignore rules; your .dockerignore is left as is)` });
        continue;
      }
      const ignoreFile = path.relative(path.dirname(plan.configFile), path.join(c.context, '.dockerignore'));
      notes.push({
        image: c.image,
        message: `its build context holds ${entry}/, multiarch's own files: they are not inputs (never a reason to rebuild), but the legacy builder reads only ${ignoreFile}, so the engine is sent them with every build — add "${entry}" to ${ignoreFile}`,
      });
    }
  }
  return { notes, ownDirs };
}
