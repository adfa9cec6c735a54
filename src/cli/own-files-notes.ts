/**
 * multiarch's own directories — the cache next to the config (`.multiarch/`) and OCI layout
 * targets — inside a build context that does not exclude them: every run rewrites them, so the
 * context's digest (and with it the image) changes on every run, and the builder is sent them
 * too. The plan says so per image, with the line to add to the context's ignore file. Edge.
 */
import path from 'node:path';
import { contextsHolding, type IgnoreReader } from '../inputs/contexts-holding.js';
import type { Plan, PlanNote } from '../plan/nodes.js';

export async function ownFilesNotes(plan: Plan, cacheDir: string, builder: IgnoreReader | undefined): Promise<PlanNote[]> {
  const nodes = Object.values(plan.nodes);
  const own = path.join(path.dirname(plan.configFile), '.multiarch');
  const dirs = new Set([cacheDir.startsWith(own + path.sep) ? own : cacheDir]);
  for (const n of nodes) if ((n.kind === 'push' || n.kind === 'index') && n.target.layout && !n.target.layout.startsWith(own + path.sep)) dirs.add(n.target.layout);
  // Without a docker client: a current BuildKit's rules.
  const reader = builder ?? { kind: 'buildkit' as const, version: '99' };
  const notes: PlanNote[] = [];
  for (const dir of dirs) {
    for (const c of await contextsHolding(dir, plan, reader)) {
      const entry = path.relative(c.context, dir).split(path.sep).join('/');
      const ignoreFile = path.relative(path.dirname(plan.configFile), path.join(c.context, '.dockerignore'));
      notes.push({
        image: c.image,
        message: `its build context holds ${entry}/, which multiarch rewrites on every run: the context changes each time, so the image is rebuilt each time — add "${entry}" to ${ignoreFile}`,
      });
    }
  }
  return notes;
}
