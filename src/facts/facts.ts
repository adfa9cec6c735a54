/**
 * Everything a run observed before planning, in one typed value: what `gatherFacts` returns and
 * `createPlan` (with `toShardPlan`/`toMergePlan`) decides on. `plan` is the part the plan keeps;
 * the rest is what apply needs to carry the plan out (the client, the cache directory, the
 * registries, the signing key — a secret, so never in the plan).
 */
import type { ResolvedConfig } from '../config/resolved.js';
import type { MergeRegistryState } from '../plan/merge-changes.js';
import type { ShardContents } from '../plan/merge-plan.js';
import type { PlanFacts } from '../plan/nodes.js';
import type { ResolvedSelection } from '../plan/selection.js';
import type { RegistryPool } from '../registry/pool.js';
import type { SigningKey } from '../supply/signing-key.js';
import type { ClientFactsResult } from './docker-client.js';

export interface Facts {
  /** The loaded config, its gitTags() rules resolved to tags. */
  readonly config: ResolvedConfig;
  /** The images and platforms to plan (narrowed by --since). */
  readonly selection: ResolvedSelection;
  /** What createPlan decides on. */
  readonly plan: PlanFacts;
  /** The docker client to build with (and the ambient engine, if it answered). */
  readonly client?: ClientFactsResult;
  /** Why there is no builder, when plan ran without one. */
  readonly builderProblem?: string;
  /** Hash cache, state store and blob store live here. */
  readonly cacheDir: string;
  readonly registries: RegistryPool;
  /** The signing key (a secret: kept out of the plan), when the config signs and this run may. */
  readonly key?: SigningKey;
  /** apply/plan --merge: the shards, and what their publish targets hold when they could be read. */
  readonly merge?: MergeFacts;
}

export interface MergeFacts {
  readonly shards: readonly ShardContents[];
  readonly targets?: MergeRegistryState;
}
