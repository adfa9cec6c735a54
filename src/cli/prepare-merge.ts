/**
 * `apply --merge DIR...`: the config's plan for every platform (of the selected images), with each
 * platform image taken from the shard that holds it — checked, all of it, before anything is
 * pushed. What the publish targets hold is read first (read-only), so only what changed is
 * written: an image a shard found current, whose tags and index already hold it, gets no write
 * at all. When they cannot be read, everything is written as before. With `sign`, it signs every
 * digest and attests each platform image with the predicates its shard made. Needs no Docker engine: a
 * merge only reads layouts and registries and writes registries.
 */
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { isMultiarchError, MultiarchError } from '../errors/multiarch-error.js';
import { createPlan } from '../plan/create-plan.js';
import type { MergeRegistryState } from '../plan/merge-changes.js';
import { toMergePlan, type MergeResult } from '../plan/merge-plan.js';
import type { Plan } from '../plan/nodes.js';
import { resolveSelection } from '../plan/selection.js';
import { readHttpSettings } from '../registry/http-settings.js';
import { createRegistryPool, type RegistryPool } from '../registry/pool.js';
import { readPublished } from '../state/read-published.js';
import { createRegistryAccess } from '../state/registry-access.js';
import { StateStore } from '../state/state-store.js';
import { readShard } from '../state/shard-record.js';
import type { CliOptions } from './args.js';
import { gitFacts } from './gather-facts.js';
import type { CliIo } from './io.js';
import { loadSigningKey } from './load-signing-key.js';
import { signingFacts } from './signing-facts.js';
import { createStorePool } from '../publish/store-pool.js';
import { resolveCacheDir } from './cache-dir.js';
import type { PreparedPlan } from './prepare-plan.js';

export async function prepareMerge(options: CliOptions, io: CliIo): Promise<Omit<PreparedPlan, 'client'>> {
  const { config } = await loadConfig({ cwd: io.cwd, ...(options.config ? { file: options.config } : {}) });
  const selected = resolveSelection(config, { images: options.images });
  if (!selected.ok) throw new MultiarchError('E_USAGE', selected.message, { hint: selected.hint });
  // The merge job signs: it is the one that publishes (shards hold no key). It attests with the
  // predicates each shard made from its build and image (stored in its layout).
  const key = await loadSigningKey(config, io);
  const [git, shards] = await Promise.all([
    gitFacts(config.dir, io.env),
    Promise.all((options.merge ?? []).map((name) => readShard(path.resolve(io.cwd, name), name, io.signal))),
  ]);
  const planned = createPlan(config, { git, ...(key ? { signing: { keyId: key.keyId } } : {}) }, selected.selection);
  const merged = toMergePlan(planned, shards);
  if (!merged.ok) {
    throw new MultiarchError('E_SHARD', `the shards do not add up to ${path.relative(io.cwd, config.file) || config.file}: nothing was pushed`, {
      details: merged.problems,
      hint: 'merge the shards of one commit, one per platform, each from a finished `multiarch apply --platform P --shard-out DIR`',
    });
  }
  const registries = createRegistryPool({ env: io.env, http: readHttpSettings(io.env) });
  const cacheDir = resolveCacheDir(config, io);
  const state = await readTargets(merged.plan, registries, cacheDir, io.signal);
  const plan = state ? (toMergePlan(planned, shards, state) as Extract<MergeResult, { ok: true }>).plan : merged.plan;
  // What the targets already hold signed and attested by this key: `= signed` as a normal plan says it.
  const signing = key && state ? await signingFacts(plan, state, key, createStorePool(registries), io.signal) : undefined;
  return { plan: signing ? { ...plan, facts: { ...plan.facts, signing } } : plan, config, cacheDir, registries, ...(key ? { key } : {}) };
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
