/**
 * The facts of `--merge DIR...`: the config, the signing key (the merge signs: it is the one that
 * publishes; shards hold no key), git, the shards, and what the publish targets hold (read-only),
 * so that only what changed is written: an image a shard found current, whose tags and index
 * already hold it, gets no write at all. When the targets cannot be read, everything is written as
 * before. With the key, also what those targets hold signed and attested by it (`= signed`, as a
 * normal plan says it): the merge signs every digest and attests each platform image with the
 * predicates its shard made (stored in its layout). Needs no Docker engine: a merge only reads layouts and registries and writes registries.
 * The merge is the run that publishes, so it is the one that checks the ECR repositories (a shard
 * does not): which of those it writes are missing (ecr-repository-facts.ts).
 */
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { isMultiarchError, MultiarchError } from '../errors/multiarch-error.js';
import { planShape } from '../plan/create-plan.js';
import type { MergeRegistryState } from '../plan/merge-changes.js';
import { toMergePlan } from '../plan/merge-plan.js';
import type { Plan, PlanFacts } from '../plan/nodes.js';
import { resolveSelection } from '../plan/selection.js';
import { readHttpSettings } from '../registry/http-settings.js';
import { createRegistryPool, type RegistryPool } from '../registry/pool.js';
import { readPublished } from '../state/read-published.js';
import { createRegistryAccess } from '../state/registry-access.js';
import { StateStore } from '../state/state-store.js';
import { readShard } from '../state/shard-record.js';
import { createStorePool } from '../publish/store-pool.js';
import { resolveCacheDir } from './cache-dir.js';
import { ecrRepositoryFacts } from './ecr-repository-facts.js';
import type { Facts } from './facts.js';
import { gitFacts } from './git-facts.js';
import { loadSigningKey } from './load-signing-key.js';
import type { FactsIo, FactsOptions } from './request.js';
import { signingFacts } from './signing-facts.js';

export async function gatherMergeFacts(options: FactsOptions, io: FactsIo): Promise<Facts> {
  const { config } = await loadConfig({ cwd: io.cwd, ...(options.config ? { file: options.config } : {}) });
  const selected = resolveSelection(config, { images: options.images });
  if (!selected.ok) throw new MultiarchError('E_USAGE', selected.message, { hint: selected.hint });
  const key = await loadSigningKey(config, io);
  const [git, shards] = await Promise.all([
    gitFacts(config.dir, io.env),
    Promise.all((options.merge ?? []).map((name) => readShard(path.resolve(io.cwd, name), name, io.signal))),
  ]);
  const observed: PlanFacts = { git, ...(key ? { signing: { keyId: key.keyId } } : {}) };
  const registries = createRegistryPool({ env: io.env, http: readHttpSettings(io.env) });
  const cacheDir = resolveCacheDir(config, io);
  // The targets to read are the merge's pushes and indexes; shards that do not add up read nothing
  // (toMergePlan says why, where the plan is made).
  const shape = planShape(config, observed, selected.selection);
  const merged = toMergePlan(shape, shards);
  const [targets, repositories] = await Promise.all([
    merged.ok ? readTargets(merged.plan, registries, cacheDir, io.signal) : undefined,
    merged.ok ? ecrRepositoryFacts(shape, io.signal) : undefined,
  ]);
  const signing = key && targets && merged.ok ? await signingFacts(merged.plan, targets, key, createStorePool(registries), io.signal) : undefined;
  const plan: PlanFacts = { ...observed, ...(signing ? { signing } : {}), ...(repositories ? { repositories } : {}) };
  return { config, selection: selected.selection, plan, cacheDir, registries, ...(key ? { key } : {}), merge: { shards, ...(targets ? { targets } : {}) } };
}

/** Read-only; undefined when a target cannot be read (its push then says why, as before). */
async function readTargets(plan: Plan, registries: RegistryPool, cacheDir: string, signal: AbortSignal): Promise<MergeRegistryState | undefined> {
  const targets = Object.values(plan.nodes).flatMap((n) => (n.kind === 'push' || n.kind === 'index' ? [n.target] : []));
  const access = createRegistryAccess(registries, targets);
  try {
    return await readPublished(plan, { access, store: new StateStore(cacheDir), now: new Date().toISOString(), signal });
  } catch (error) {
    if (isMultiarchError(error) && error.code.startsWith('E_REGISTRY')) return undefined;
    throw error;
  }
}
