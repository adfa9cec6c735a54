/**
 * The facts `apply plan.json` runs on: the config (for what a plan cannot hold — prepare functions,
 * scan settings — and the secret-looking args it saved as `***`), the docker client (only when a
 * node runs on an engine), the cache directory, the registries and the signing key; and the check
 * that nothing the plan was decided on moved since (inputs and registry state, by the plan's
 * fingerprint, else E_PLAN_STALE). The saved plan itself is read by the CLI (its format is the
 * plan JSON). Edge.
 */
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import type { ResolvedConfig } from '../config/resolved.js';
import { MultiarchError } from '../errors/multiarch-error.js';
import { contextRulesFor } from '../inputs/context-rules.js';
import { DIRECT_BUILDER_KIND } from '../plan/build-path.js';
import { planNeedsEngine } from '../plan/engine-need.js';
import { fingerprintChanges, fingerprintOf } from '../plan/incremental/stale.js';
import type { Plan } from '../plan/nodes.js';
import { readHttpSettings } from '../registry/http-settings.js';
import { createRegistryPool, type RegistryPool } from '../registry/pool.js';
import { gatherIncrementalFacts } from '../state/gather-incremental.js';
import type { SigningKey } from '../supply/signing-key.js';
import { resolveCacheDir } from './cache-dir.js';
import { detectClient, type ClientFactsResult } from './docker-client.js';
import { buildPlatformOf } from './incremental.js';
import { loadSigningKey } from './load-signing-key.js';
import type { FactsIo } from './request.js';

export interface SavedPlanFacts {
  readonly config: ResolvedConfig;
  /** Absent when no node runs on an engine (every build assembled directly): none was looked for. */
  readonly client?: ClientFactsResult;
  readonly cacheDir: string;
  readonly registries: RegistryPool;
  readonly key?: SigningKey;
}

/** What applying `saved` (read from `file`) needs, once it is shown to be still current. */
export async function gatherSavedPlanFacts(saved: Plan, file: string, io: FactsIo): Promise<SavedPlanFacts> {
  const [client, { config }] = await Promise.all([planNeedsEngine(saved) ? detectClient(io.env) : undefined, loadConfig({ cwd: io.cwd, file: saved.configFile })]);
  const cacheDir = resolveCacheDir(config, io);
  const registries = createRegistryPool({ env: io.env, http: readHttpSettings(io.env) });
  await checkStillCurrent(saved, { client, cacheDir, registries, signal: io.signal, file });
  const key = await loadSigningKey(config, io);
  if (key && Object.values(saved.nodes).some((n) => (n.kind === 'push' || n.kind === 'index') && n.sign && n.sign.keyId !== key.keyId)) {
    throw new MultiarchError('E_PLAN_STALE', `${file} was made to sign with another key than the one sign.key holds now`, { hint: 'make the plan again with the current key' });
  }
  return { config, ...(client ? { client } : {}), cacheDir, registries, ...(key ? { key } : {}) };
}

interface CheckOptions {
  readonly client: ClientFactsResult | undefined;
  readonly cacheDir: string;
  readonly registries: RegistryPool;
  readonly signal: AbortSignal;
  readonly file: string;
}

/** Throws E_PLAN_STALE, listing what moved, when the inputs or registry state differ from the plan's. */
async function checkStillCurrent(saved: Plan, options: CheckOptions): Promise<void> {
  const { changes, ...base } = saved;
  const facts = await gatherIncrementalFacts(base, {
    cacheDir: options.cacheDir,
    offline: false,
    pool: options.registries,
    // No client: only direct builds, which follow direct assembly's rules (as incremental.ts).
    kind: options.client?.choice.kind ?? DIRECT_BUILDER_KIND,
    buildPlatform: (node) => buildPlatformOf(saved, node),
    contextRules: contextRulesFor(options.client?.choice.kind ?? DIRECT_BUILDER_KIND, options.client?.choice.client.version ?? '99'),
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
