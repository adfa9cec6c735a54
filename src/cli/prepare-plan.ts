/**
 * Shared by plan and apply: load the config, gather facts, resolve the selectors, and make the one
 * pure call to createPlan. `requireBuilder` makes a missing Docker engine an error (apply) rather
 * than a fact the plan reports (plan). With a builder, the plan is incremental: the facts include
 * every build's inputs and what the registries hold (see incremental-facts.ts).
 */
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import type { ResolvedConfig } from '../config/resolved.js';
import { MultiarchError, isMultiarchError } from '../errors/multiarch-error.js';
import { createPlan } from '../plan/create-plan.js';
import type { Plan, PlanFacts } from '../plan/nodes.js';
import { resolveSelection, type ResolvedSelection } from '../plan/selection.js';
import { createRegistryPool, type RegistryPool } from '../registry/pool.js';
import type { CliOptions } from './args.js';
import { builderFacts, detectBuilder, gitFacts, type BuilderFactsResult } from './gather-facts.js';
import { incrementalFacts, sinceSelection } from './incremental-facts.js';
import type { CliIo } from './io.js';

export interface PreparedPlan {
  readonly plan: Plan;
  readonly config: ResolvedConfig;
  readonly builder?: BuilderFactsResult;
  /** Why there is no builder, when plan ran without one. */
  readonly builderProblem?: string;
  /** Hash cache, state store and blob store live here. */
  readonly cacheDir: string;
  readonly registries: RegistryPool;
}

export async function preparePlan(options: CliOptions, io: CliIo, requireBuilder: boolean): Promise<PreparedPlan> {
  const { config } = await loadConfig({ cwd: io.cwd, ...(options.config ? { file: options.config } : {}) });
  const selected = resolveSelection(config, { images: options.images, platforms: options.platforms });
  if (!selected.ok) throw new MultiarchError('E_USAGE', selected.message, { hint: selected.hint });
  if (Array.isArray(options.force)) {
    const unknown = (options.force as readonly string[]).find((name) => !config.images[name]);
    if (unknown) throw new MultiarchError('E_USAGE', `--force ${unknown}: there is no image "${unknown}" in ${config.file}`, { hint: `images are: ${Object.keys(config.images).join(', ')}` });
  }
  let builder: BuilderFactsResult | undefined;
  let builderProblem: string | undefined;
  try {
    builder = await detectBuilder(io.env);
  } catch (error) {
    if (requireBuilder || !isMultiarchError(error)) throw error;
    builderProblem = `${error.message}${error.hint ? ` (${error.hint})` : ''}`;
  }
  const git = await gitFacts(config.dir, io.env);
  const facts: PlanFacts = { ...(builder ? { builder: builderFacts(builder) } : {}), git };
  let selection: ResolvedSelection = selected.selection;
  let sinceNotes: Plan['notes'] = [];
  if (options.since) ({ selection, notes: sinceNotes } = await sinceSelection(config, options, selection, facts.builder?.kind ?? 'buildkit'));
  const cacheDir = resolveCacheDir(config, io);
  const registries = createRegistryPool({ env: io.env });
  const base = createPlan(config, facts, selection);
  // Without a builder the inputs are not known (the builder kind is one): no incremental plan.
  const plan = builder
    ? createPlan(config, { ...facts, incremental: await incrementalFacts(base, builder, { options, io, cacheDir, registries }) }, selection)
    : base;
  const withNotes = sinceNotes.length > 0 ? { ...plan, notes: [...plan.notes, ...sinceNotes] } : plan;
  return { plan: withNotes, config, cacheDir, registries, ...(builder ? { builder } : {}), ...(builderProblem ? { builderProblem } : {}) };
}

/** `MULTIARCH_CACHE_DIR`, or `.multiarch/cache` next to the config. */
export function resolveCacheDir(config: Pick<ResolvedConfig, 'dir'>, io: Pick<CliIo, 'cwd' | 'env'>): string {
  return io.env.MULTIARCH_CACHE_DIR ? path.resolve(io.cwd, io.env.MULTIARCH_CACHE_DIR) : path.join(config.dir, '.multiarch', 'cache');
}
