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

export interface PreparedPlan {
  readonly plan: Plan;
  readonly config: ResolvedConfig;
  readonly builder?: BuilderFactsResult;
  /** Why there is no builder, when plan ran without one. */
  readonly builderProblem?: string;
}

export async function preparePlan(options: CliOptions, io: CliIo, requireBuilder: boolean): Promise<PreparedPlan> {
  // Independent I/O: load the config while the docker clients are probed.
  const builderProbe = detectBuilder(io.env).then(
    (builder) => ({ builder }),
    (error: unknown) => ({ error }),
  );
  const { config } = await loadConfig({ cwd: io.cwd, ...(options.config ? { file: options.config } : {}) });
  const selection = resolveSelection(config, { images: options.images, platforms: options.platforms });
  if (!selection.ok) throw new MultiarchError('E_USAGE', selection.message, { hint: selection.hint });
  const [probe, git] = await Promise.all([builderProbe, gitFacts(config.dir, io.env)]);
  let builder: BuilderFactsResult | undefined;
  let builderProblem: string | undefined;
  if ('builder' in probe) builder = probe.builder;
  else if (requireBuilder || !isMultiarchError(probe.error)) throw probe.error;
  else builderProblem = `${probe.error.message}${probe.error.hint ? ` (${probe.error.hint})` : ''}`;
  const plan = createPlan(config, { ...(builder ? { builder: builderFacts(builder) } : {}), git }, selection.selection);
  return { plan, config, ...(builder ? { builder } : {}), ...(builderProblem ? { builderProblem } : {}) };
}
