/**
 * The one place a run observes the world before planning: the config, the docker client and
 * engines (with their emulators), git, the Dockerfiles, build secrets, scanners and last scans,
 * every build's inputs and what the registries hold, signatures, shards. Gathered at once, and
 * only what the selection needs (a no-op spawns no process: see docker-client.ts, git-facts.ts).
 * `requireBuilder` makes a missing Docker client (or a missing ambient engine that a build needs)
 * an error (apply) rather than a fact the plan reports (plan). An unreachable builder with a host
 * or context of its own is a fact either way: plan shows it, apply fails that builder's nodes.
 * With a Docker client the facts include every build's inputs and registry state (incremental.ts).
 * Then the caller makes the one pure call: `createPlan(facts.config, facts.plan, facts.selection)`.
 */
import path from 'node:path';
import { findConfigFile, loadConfig } from '../config/load.js';
import type { ResolvedConfig } from '../config/resolved.js';
import { MultiarchError, isMultiarchError } from '../errors/multiarch-error.js';
import { planShape } from '../plan/create-plan.js';
import { checkCacheSettings } from './cache-settings.js';
import { isAmbient, usedBuilders } from '../plan/engines.js';
import type { Plan, PlanFacts } from '../plan/nodes.js';
import { resolveSelection, type ResolvedSelection } from '../plan/selection.js';
import { readHttpSettings } from '../registry/http-settings.js';
import { createRegistryPool } from '../registry/pool.js';
import { gatherDockerfileFacts } from './dockerfile-facts.js';
import { engineSelection, needsEngine } from '../plan/engine-need.js';
import { engineLikely } from './engine-hint.js';
import { builderFacts, detectClient, type ClientFactsResult } from './docker-client.js';
import { gatherEngineFacts } from './engines.js';
import type { Facts } from './facts.js';
import { gitFacts } from './git-facts.js';
import { incrementalFacts, sinceSelection } from './incremental.js';
import { resolveCacheDir } from './cache-dir.js';
import { gatherMergeFacts } from './merge-facts.js';
import { ownFilesNotes } from './own-files.js';
import { readGitRefFacts } from './git-ref-facts.js';
import { applyGitTags } from '../config/resolve-git-tags.js';
import { formatConfigPath } from '../config/issue.js';
import type { FactsIo, FactsOptions } from './request.js';
import { checkSecretsForPlan } from './secret-facts.js';
import { ecrRepositoryFacts } from './ecr-repository-facts.js';
import { checkShardOut } from './shard-out.js';
import { loadSigningKey } from './load-signing-key.js';
import { signingFacts } from './signing-facts.js';
import { createStorePool } from '../publish/store-pool.js';
import { hasScans, lastScanFacts, scannerFacts, utcDay } from './scan-facts.js';

export async function gatherFacts(options: FactsOptions, io: FactsIo, requireBuilder: boolean): Promise<Facts> {
  // A merge builds nothing: no engine, no inputs; the shards and the targets instead.
  if (options.merge) return gatherMergeFacts(options, io);
  // git is asked while the config loads (its transform holds the event loop, so its process is
  // started first), and the docker client too when a Dockerfile near the config needs an engine
  // (engine-hint.ts: a guess that only moves the probe earlier).
  const configFile = findConfigFile(io.cwd, options.config);
  const gitProbe = gitFacts(path.dirname(configFile), io.env);
  const startClientProbe = () =>
    detectClient(io.env).then(
      (client) => ({ client }),
      (error: unknown) => ({ error }),
    );
  const early = engineLikely(path.dirname(configFile)) ? startClientProbe() : undefined;
  const loaded = await loadConfig({ cwd: io.cwd, file: configFile });
  const selected = resolveSelection(loaded.config, { images: options.images, platforms: options.platforms });
  if (!selected.ok) throw new MultiarchError('E_USAGE', selected.message, { hint: selected.hint });
  // The Dockerfiles (a few small files) tell which images need an engine: the docker client is
  // used (probed now, if the guess did not start it) only then, and otherwise not looked for — on
  // a fresh runner (no client memo) a project whose images are all direct starts no docker process.
  const dockerfiles = await gatherDockerfileFacts(loaded.config, selected.selection.images);
  const shard = options.shardOut !== undefined;
  const clientProbe = needsEngine(loaded.config, selected.selection, dockerfiles, { shard }) ? (early ?? startClientProbe()) : undefined;
  // A shard holds no key: signing happens where the images are published (the merge).
  const key = options.shardOut ? undefined : await loadSigningKey(loaded.config, io);
  // gitTags() rules become tags now, from the repository the config lives in.
  const { config, notes: tagNotes } = await resolveTagRules(loaded.config, selected.selection.images, io.env);
  if (Array.isArray(options.force)) {
    const unknown = (options.force as readonly string[]).find((name) => !config.images[name]);
    if (unknown) throw new MultiarchError('E_USAGE', `--force ${unknown}: there is no image "${unknown}" in ${config.file}`, { hint: `images are: ${Object.keys(config.images).join(', ')}` });
  }
  // Images assembled directly (and not tested) need no engine at all: only the others count (in a
  // shard, where ref() bases pass through the engine, every builder).
  const engineImages = engineSelection(config, selected.selection, dockerfiles);
  const engineBuilders = usedBuilders(config, engineImages);
  const probedBuilders = shard ? usedBuilders(config, selected.selection) : engineBuilders;
  const enginesProbe = clientProbe?.then((probe) => ('client' in probe ? gatherEngineFacts(probe.client, probedBuilders) : undefined));
  const [probe, engines, git] = await Promise.all([clientProbe, enginesProbe, gitProbe]);
  let client: ClientFactsResult | undefined;
  let builderProblem: string | undefined;
  if (probe && 'client' in probe) client = probe.client;
  else if (probe && ((requireBuilder && engineBuilders.length > 0) || !isMultiarchError(probe.error))) throw probe.error;
  else if (probe) builderProblem = describeProblem(probe.error);
  if (client && !client.engine) {
    // The ambient engine is down: an error for apply when a build runs on it, else a note.
    if (requireBuilder && engineBuilders.some(isAmbient)) throw client.engineError;
    if (engineBuilders.some(isAmbient)) builderProblem = describeProblem(client.engineError!);
  }
  // Only what an engine builds reads or writes a layer cache.
  if (client) checkCacheSettings(config, engineImages.images, client.choice.kind, client.choice.client.binary);
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
  // gathered at once.
  const shape = planShape(config, observed, selection);
  if (options.shardOut !== undefined) await checkShardOut(options.shardOut, io.cwd, shape, client);
  const docker = client ? { binary: client.choice.client.binary, version: client.choice.client.version, env: {} } : undefined;
  const [lastScans, incremental, ownFiles, repositories] = await Promise.all([
    hasScans(shape) ? lastScanFacts(shape, cacheDir, docker) : {},
    // The builder kind is an input of every engine build: without a docker client to build them
    // with, no incremental plan. A plan with none (no client probed) takes direct assembly's.
    client || !clientProbe ? incrementalFacts(shape, client?.choice, { config, options, io, cacheDir, registries }) : undefined,
    ownFilesNotes(shape, cacheDir, client && { kind: client.choice.kind, version: client.choice.client.version }),
    // A shard writes no registry: its merge checks (and creates) the repositories. --offline reads no registry, ECR's API included.
    options.shardOut || options.offline ? undefined : ecrRepositoryFacts(shape, io.signal),
  ]);
  // What the targets already hold signed by this key, for the digests their tags name now: `= signed`.
  const signing = key && incremental?.facts.registry.source === 'registry' ? await signingFacts(shape, incremental.facts.registry, key, createStorePool(registries), io.signal) : undefined;
  const notes = [...tagNotes, ...sinceNotes, ...ownFiles.notes, ...secretNotes, ...(incremental?.notes ?? [])];
  const plan: PlanFacts = {
    ...observed,
    ...(Object.keys(lastScans).length > 0 ? { lastScans } : {}),
    ...(incremental ? { incremental: incremental.facts } : {}),
    ...(notes.length > 0 ? { notes } : {}),
    ...(signing ? { signing } : {}),
    ...(repositories ? { repositories } : {}),
    ...(Object.keys(ownFiles.ownDirs).length > 0 ? { ownDirs: ownFiles.ownDirs } : {}),
  };
  return { config, selection, plan, cacheDir, registries, ...(client ? { client } : {}), ...(builderProblem ? { builderProblem } : {}), ...(key ? { key } : {}) };
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
