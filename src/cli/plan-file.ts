/**
 * Saved plans: `plan --out plan.json` writes the plan apply would run (plain JSON, with the
 * fingerprint of the inputs and registry state it was made from); `apply plan.json` reads it back
 * and checks the world still matches before doing exactly that.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MultiarchError } from '../errors/multiarch-error.js';
import { contextRulesFor } from '../inputs/context-rules.js';
import { fingerprintChanges, fingerprintOf } from '../plan/incremental/stale.js';
import type { Plan } from '../plan/nodes.js';
import { redactPlanArgs } from '../plan/secret-args.js';
import type { RegistryPool } from '../registry/pool.js';
import { gatherIncrementalFacts } from '../state/gather-incremental.js';
import type { ClientFactsResult } from '../facts/docker-client.js';
import { buildPlatformOf } from '../facts/incremental.js';

export async function writePlanFile(file: string, plan: Plan): Promise<void> {
  await writeFile(file, `${JSON.stringify(redactPlanArgs(plan), null, 1)}\n`);
}

export async function readPlanFile(file: string): Promise<Plan> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new MultiarchError('E_PLAN_FILE', `cannot read the saved plan ${file}: ${(error as Error).message}`, { hint: 'save one with `multiarch plan --out plan.json`' });
  }
  const plan = parsed as Partial<Plan>;
  if (plan.version !== 1 || !Array.isArray(plan.order) || typeof plan.nodes !== 'object' || !plan.configFile) {
    throw new MultiarchError('E_PLAN_FILE', `${file} is not a plan saved by \`multiarch plan --out\``, { hint: 'save one with `multiarch plan --out plan.json`' });
  }
  if (!plan.changes) {
    throw new MultiarchError('E_PLAN_FILE', `${file} was saved without registry state (no Docker engine was found when it was made), so it cannot be checked before it is applied`, {
      hint: 'make it again where `multiarch plan` finds a Docker engine',
    });
  }
  return plan as Plan;
}

export interface VerifyOptions {
  readonly client: ClientFactsResult;
  readonly cacheDir: string;
  readonly registries: RegistryPool;
  readonly signal: AbortSignal;
  readonly file: string;
}

/** Throws E_PLAN_STALE, listing what moved, when the inputs or registry state differ from the plan's. */
export async function verifySavedPlan(saved: Plan, options: VerifyOptions): Promise<void> {
  const { changes, ...base } = saved;
  const facts = await gatherIncrementalFacts(base, {
    cacheDir: options.cacheDir,
    offline: false,
    pool: options.registries,
    kind: options.client.choice.kind,
    buildPlatform: (node) => buildPlatformOf(saved, node),
    contextRules: contextRulesFor(options.client.choice.kind, options.client.choice.client.version),
    signal: options.signal,
    now: new Date().toISOString(),
    details: false,
  });
  const moved = fingerprintChanges(changes!.fingerprint, fingerprintOf(base, facts));
  if (moved.length === 0) return;
  const shown = moved.slice(0, 20);
  throw new MultiarchError('E_PLAN_STALE', `${path.basename(options.file)} is stale: ${moved.length} ${moved.length === 1 ? 'thing' : 'things'} changed since it was made; nothing was built or written`, {
    details: moved.length > shown.length ? [...shown, `… and ${moved.length - shown.length} more`] : shown,
    hint: 'make a new plan (`multiarch plan --out plan.json`), review it, and apply that',
  });
}
