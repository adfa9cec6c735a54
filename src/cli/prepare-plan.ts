/**
 * Shared by plan and apply: load the config, gather facts, resolve the selectors, and make the one
 * pure call to createPlan. `requireBuilder` makes a missing Docker engine an error (apply) rather
 * than a fact the plan reports (plan).
 */
import { loadConfig } from '../config/load.js';
import type { ResolvedConfig } from '../config/resolved.js';
import { MultiarchError, isMultiarchError } from '../errors/multiarch-error.js';
import { createPlan } from '../plan/create-plan.js';
import type { Plan } from '../plan/nodes.js';
import { resolveSelection } from '../plan/selection.js';
import type { CliOptions } from './args.js';
import { builderFacts, detectBuilder, gitFacts, type BuilderFactsResult } from './gather-facts.js';
import type { CliIo } from './io.js';
import { hasScans, lastScanFacts, scannerFacts, utcDay } from './scan-facts.js';

export interface PreparedPlan {
  readonly plan: Plan;
  readonly config: ResolvedConfig;
  readonly builder?: BuilderFactsResult;
  /** Why there is no builder, when plan ran without one. */
  readonly builderProblem?: string;
}

export async function preparePlan(options: CliOptions, io: CliIo, requireBuilder: boolean): Promise<PreparedPlan> {
  const { config } = await loadConfig({ cwd: io.cwd, ...(options.config ? { file: options.config } : {}) });
  const selection = resolveSelection(config, { images: options.images, platforms: options.platforms });
  if (!selection.ok) throw new MultiarchError('E_USAGE', selection.message, { hint: selection.hint });
  let builder: BuilderFactsResult | undefined;
  let builderProblem: string | undefined;
  try {
    builder = await detectBuilder(io.env);
  } catch (error) {
    if (requireBuilder || !isMultiarchError(error)) throw error;
    builderProblem = `${error.message}${error.hint ? ` (${error.hint})` : ''}`;
  }
  const git = await gitFacts(config.dir, io.env);
  const now = new Date();
  const facts = {
    ...(builder ? { builder: builderFacts(builder) } : {}),
    git,
    today: utcDay(now),
    scanners: await scannerFacts(config, selection.selection.images, now),
  };
  let plan = createPlan(config, facts, selection.selection);
  if (hasScans(plan)) {
    // Which cached scans apply depends on the plan's local tags: plan once more with them (pure, cheap).
    const client = builder ? { binary: builder.choice.client.binary, version: builder.choice.client.version, env: {} } : undefined;
    const lastScans = await lastScanFacts(plan, config.dir, client);
    if (Object.keys(lastScans).length > 0) plan = createPlan(config, { ...facts, lastScans }, selection.selection);
  }
  return { plan, config, ...(builder ? { builder } : {}), ...(builderProblem ? { builderProblem } : {}) };
}
