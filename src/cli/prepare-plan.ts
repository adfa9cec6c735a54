/**
 * Shared by plan and apply: load the config, gather facts, resolve the selectors, and make the one
 * pure call to createPlan. `requireBuilder` makes a missing Docker client (or a missing ambient
 * engine that a build needs) an error (apply) rather than a fact the plan reports (plan). An
 * unreachable builder with a host or context of its own is a fact either way: plan shows it, apply
 * fails that builder's nodes. With a Docker client the plan is incremental: the facts include
 * every build's inputs and what the registries hold (see incremental-facts.ts).
 */
import path from 'node:path';
import { findConfigFile, loadConfig } from '../config/load.js';
import type { ResolvedConfig } from '../config/resolved.js';
import { MultiarchError, isMultiarchError } from '../errors/multiarch-error.js';
import { createPlan, planShape } from '../plan/create-plan.js';
import { checkCacheSettings } from './cache-settings.js';
import { isAmbient, usedBuilders } from '../plan/engines.js';
import type { Plan, PlanFacts } from '../plan/nodes.js';
import { resolveSelection, type ResolvedSelection } from '../plan/selection.js';
import { readHttpSettings } from '../registry/http-settings.js';
import { createRegistryPool, type RegistryPool } from '../registry/pool.js';
import type { CliOptions } from './args.js';
import { gatherDockerfileFacts, engineSelection } from './dockerfile-facts.js';
import { gatherEngineFacts } from './gather-engines.js';
import { builderFacts, detectClient, gitFacts, type ClientFactsResult } from './gather-facts.js';
import { incrementalFacts, sinceSelection } from './incremental-facts.js';
import { resolveCacheDir } from './cache-dir.js';
import { ownFilesNotes } from './own-files-notes.js';
import { readGitRefFacts } from './git-ref-facts.js';
import { applyGitTags } from '../config/resolve-git-tags.js';
import { formatConfigPath } from '../config/issue.js';
import { checkSecretsForPlan } from './secret-facts.js';
import type { CliIo } from './io.js';
import { loadSigningKey } from './load-signing-key.js';
import { signingFacts } from './signing-facts.js';
import { createStorePool } from '../publish/store-pool.js';
import type { SigningKey } from '../supply/signing-key.js';
import { hasScans, lastScanFacts, scannerFacts, utcDay } from './scan-facts.js';

export interface PreparedPlan {
  readonly plan: Plan;
  readonly config: ResolvedConfig;
  /** The docker client to build with (and the ambient engine, if it answered). */
  readonly client?: ClientFactsResult;
  /** Why there is no builder, when plan ran without one. */
  readonly builderProblem?: string;
  /** Hash cache, state store and blob store live here. */
  readonly cacheDir: string;
  readonly registries: RegistryPool;
  /** The signing key (a secret: kept out of the plan), when the config signs and this run may. */
  readonly key?: SigningKey;
}

export async function preparePlan(options: CliOptions, io: CliIo, requireBuilder: boolean): Promise<PreparedPlan> {
  // Independent I/O: the docker clients and git are asked while the config loads (its transform
  // holds the event loop, so their processes are started first).
  const clientProbe = detectClient(io.env).then(
    (client) => ({ client }),
    (error: unknown) => ({ error }),
  );
  const configFile = findConfigFile(io.cwd, options.config);
  const gitProbe = gitFacts(path.dirname(configFile), io.env);
  const loaded = await loadConfig({ cwd: io.cwd, file: configFile });
  // A shard holds no key: signing happens where the images are published (the merge).
  const key = options.shardOut ? undefined : await loadSigningKey(loaded.config, io);
  const selected = resolveSelection(loaded.config, { images: options.images, platforms: options.platforms });
  if (!selected.ok) throw new MultiarchError('E_USAGE', selected.message, { hint: selected.hint });
  // gitTags() rules become tags now, from the repository the config lives in.
  const { config, notes: tagNotes } = await resolveTagRules(loaded.config, selected.selection.images, io.env);
  if (Array.isArray(options.force)) {
    const unknown = (options.force as readonly string[]).find((name) => !config.images[name]);
    if (unknown) throw new MultiarchError('E_USAGE', `--force ${unknown}: there is no image "${unknown}" in ${config.file}`, { hint: `images are: ${Object.keys(config.images).join(', ')}` });
  }
  const builders = usedBuilders(config, selected.selection);
  const dockerfilesProbe = gatherDockerfileFacts(config, selected.selection.images);
  const enginesProbe = clientProbe.then((probe) => ('client' in probe ? gatherEngineFacts(probe.client, builders) : undefined));
  const [probe, engines, git, dockerfiles] = await Promise.all([clientProbe, enginesProbe, gitProbe, dockerfilesProbe]);
  // Images assembled directly (and not tested) need no engine at all: only the others count.
  const engineBuilders = usedBuilders(config, engineSelection(config, selected.selection, dockerfiles));
  let client: ClientFactsResult | undefined;
  let builderProblem: string | undefined;
  if ('client' in probe) client = probe.client;
  else if ((requireBuilder && engineBuilders.length > 0) || !isMultiarchError(probe.error)) throw probe.error;
  else builderProblem = describeProblem(probe.error);
  if (client && !client.engine) {
    // The ambient engine is down: an error for apply when a build runs on it, else a note.
    if (requireBuilder && engineBuilders.some(isAmbient)) throw client.engineError;
    if (engineBuilders.some(isAmbient)) builderProblem = describeProblem(client.engineError!);
  }
  // Only what an engine builds reads or writes a layer cache.
  if (client) checkCacheSettings(config, engineSelection(config, selected.selection, dockerfiles).images, client.choice.kind, client.choice.client.binary);
  const builder = client?.engine ? builderFacts({ choice: client.choice, engine: client.engine, emulated: client.emulated }) : undefined;
  let selection: ResolvedSelection = selected.selection;
  let sinceNotes: Plan['notes'] = [];
  if (options.since) ({ selection, notes: sinceNotes } = await sinceSelection(config, options, selection, client?.choice.kind ?? 'buildkit'));
  const secretNotes = await checkSecretsForPlan(config, selection.images, client?.choice.kind, io.env);
  const now = new Date();
  const observed: PlanFacts = {
    ...(builder ? { builder } : {}),
    ...(engines ? { engines } : {}),
    git,
    dockerfiles,
    today: utcDay(now),
    scanners: await scannerFacts(config, selection.images, now),
    ...(key ? { signing: { keyId: key.keyId } } : {}),
  };
  const cacheDir = resolveCacheDir(config, io);
  const registries = createRegistryPool({ env: io.env, http: readHttpSettings(io.env) });
  // What the plan's graph needs looked at (its local tags, contexts, base images, target tags),
  // gathered at once; then the one pure call that decides.
  const shape = planShape(config, observed, selection);
  const docker = client ? { binary: client.choice.client.binary, version: client.choice.client.version, env: {} } : undefined;
  const [lastScans, incremental, ownFiles] = await Promise.all([
    hasScans(shape) ? lastScanFacts(shape, cacheDir, docker) : {},
    // The builder kind is an input of every build: without a docker client, no incremental plan.
    client ? incrementalFacts(shape, client, { config, options, io, cacheDir, registries }) : undefined,
    ownFilesNotes(shape, cacheDir, client && { kind: client.choice.kind, version: client.choice.client.version }),
  ]);
  // What the targets already hold signed by this key, for the digests their tags name now: `= signed`.
  const signing = key && incremental?.facts.registry.source === 'registry' ? await signingFacts(shape, incremental.facts.registry, key, createStorePool(registries), io.signal) : undefined;
  const notes = [...tagNotes, ...sinceNotes, ...ownFiles.notes, ...secretNotes, ...(incremental?.notes ?? [])];
  const facts: PlanFacts = {
    ...observed,
    ...(Object.keys(lastScans).length > 0 ? { lastScans } : {}),
    ...(incremental ? { incremental: incremental.facts } : {}),
    ...(notes.length > 0 ? { notes } : {}),
    ...(signing ? { signing } : {}),
    ...(Object.keys(ownFiles.ownDirs).length > 0 ? { ownDirs: ownFiles.ownDirs } : {}),
  };
  const plan = createPlan(config, facts, selection);
  return { plan, config, cacheDir, registries, ...(client ? { client } : {}), ...(builderProblem ? { builderProblem } : {}), ...(key ? { key } : {}) };
}

async function resolveTagRules(config: ResolvedConfig, images: Iterable<string>, env: NodeJS.ProcessEnv): Promise<{ config: ResolvedConfig; notes: Plan['notes'] }> {
  const names = [...images];
  if (!names.some((n) => config.images[n]?.tagRule)) return { config, notes: [] };
  const applied = applyGitTags(config, names, await readGitRefFacts(config.dir, env));
  if (applied.issues.length > 0) {
    throw new MultiarchError('E_CONFIG_INVALID', `tags from git: ${applied.issues.length} image${applied.issues.length > 1 ? 's get' : ' gets'} no tag (${path.basename(config.file)})`, {
      details: applied.issues.map((i) => `${formatConfigPath(i.path)}: ${i.message}`),
      hint: applied.issues[0]!.hint,
    });
  }
  return { config: applied.config, notes: applied.notes };
}


function describeProblem(error: MultiarchError | unknown): string {
  if (!isMultiarchError(error)) return String(error);
  return `${error.message}${error.hint ? ` (${error.hint})` : ''}`;
}
