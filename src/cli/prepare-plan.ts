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
import { createPlan } from '../plan/create-plan.js';
import { cacheIssues } from '../plan/cache-plan.js';
import { formatConfigPath } from '../config/issue.js';
import { isAmbient, usedBuilders } from '../plan/engines.js';
import type { Plan, PlanFacts } from '../plan/nodes.js';
import { resolveSelection, type ResolvedSelection } from '../plan/selection.js';
import { readHttpSettings } from '../registry/http-settings.js';
import { createRegistryPool, type RegistryPool } from '../registry/pool.js';
import type { CliOptions } from './args.js';
import { gatherEngineFacts } from './gather-engines.js';
import { builderFacts, detectClient, gitFacts, type ClientFactsResult } from './gather-facts.js';
import { incrementalPlan, sinceSelection } from './incremental-facts.js';
import { ownFilesNotes } from './own-files-notes.js';
import type { CliIo } from './io.js';
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
  const { config } = await loadConfig({ cwd: io.cwd, file: configFile });
  const selected = resolveSelection(config, { images: options.images, platforms: options.platforms });
  if (!selected.ok) throw new MultiarchError('E_USAGE', selected.message, { hint: selected.hint });
  if (Array.isArray(options.force)) {
    const unknown = (options.force as readonly string[]).find((name) => !config.images[name]);
    if (unknown) throw new MultiarchError('E_USAGE', `--force ${unknown}: there is no image "${unknown}" in ${config.file}`, { hint: `images are: ${Object.keys(config.images).join(', ')}` });
  }
  const builders = usedBuilders(config, selected.selection);
  const enginesProbe = clientProbe.then((probe) => ('client' in probe ? gatherEngineFacts(probe.client, builders) : undefined));
  const [probe, engines, git] = await Promise.all([clientProbe, enginesProbe, gitProbe]);
  let client: ClientFactsResult | undefined;
  let builderProblem: string | undefined;
  if ('client' in probe) client = probe.client;
  else if (requireBuilder || !isMultiarchError(probe.error)) throw probe.error;
  else builderProblem = describeProblem(probe.error);
  if (client && !client.engine) {
    // The ambient engine is down: an error for apply when a build runs on it, else a note.
    if (requireBuilder && builders.some(isAmbient)) throw client.engineError;
    if (builders.some(isAmbient)) builderProblem = describeProblem(client.engineError!);
  }
  if (client) checkCacheSettings(config, selected.selection.images, client.choice.kind, client.choice.client.binary);
  const builder = client?.engine ? builderFacts({ choice: client.choice, engine: client.engine, emulated: client.emulated }) : undefined;
  let selection: ResolvedSelection = selected.selection;
  let sinceNotes: Plan['notes'] = [];
  if (options.since) ({ selection, notes: sinceNotes } = await sinceSelection(config, options, selection, client?.choice.kind ?? 'buildkit'));
  const now = new Date();
  const facts: PlanFacts = {
    ...(builder ? { builder } : {}),
    ...(engines ? { engines } : {}),
    git,
    today: utcDay(now),
    scanners: await scannerFacts(config, selection.images, now),
  };
  const cacheDir = resolveCacheDir(config, io);
  const registries = createRegistryPool({ env: io.env, http: readHttpSettings(io.env) });
  let plan = createPlan(config, facts, selection);
  if (hasScans(plan)) {
    // Which cached scans apply depends on the plan's local tags: plan once more with them (pure, cheap).
    const docker = client ? { binary: client.choice.client.binary, version: client.choice.client.version, env: {} } : undefined;
    const lastScans = await lastScanFacts(plan, config.dir, docker);
    if (Object.keys(lastScans).length > 0) plan = createPlan(config, { ...facts, lastScans }, selection);
  }
  // The builder kind is an input of every build: without a docker client, no incremental plan.
  // (What createPlan(config, { ...facts, incremental }) returns, from the plan already made.)
  if (client) plan = await incrementalPlan(plan, client, { options, io, cacheDir, registries });
  const ownNotes = await ownFilesNotes(plan, cacheDir, client && { kind: client.choice.kind, version: client.choice.client.version });
  if (sinceNotes.length + ownNotes.length > 0) plan = { ...plan, notes: [...plan.notes, ...sinceNotes, ...ownNotes] };
  return { plan, config, cacheDir, registries, ...(client ? { client } : {}), ...(builderProblem ? { builderProblem } : {}) };
}

/** A `cache` entry the builder cannot do is a config error naming the builder and the alternative. */
function checkCacheSettings(config: ResolvedConfig, images: ReadonlySet<string>, kind: 'buildx' | 'buildkit' | 'legacy', binary: string): void {
  const issues = cacheIssues(config, images, kind, `docker ${kind === 'buildkit' ? 'build with DOCKER_BUILDKIT=1' : kind === 'buildx' ? 'buildx' : 'build (legacy)'}, ${binary}`);
  if (issues.length === 0) return;
  throw new MultiarchError('E_CONFIG_INVALID', `${config.file}: ${issues.length === 1 ? '1 problem' : `${issues.length} problems`} with the builder this machine has`, {
    details: issues.map((i) => `${formatConfigPath(i.path)}: ${i.message}${i.hint ? ` (${i.hint})` : ''}`),
    hint: 'fix the fields above or use another builder; nothing was built or pushed',
  });
}

/** `MULTIARCH_CACHE_DIR`, or `.multiarch/cache` next to the config. */
export function resolveCacheDir(config: Pick<ResolvedConfig, 'dir'>, io: Pick<CliIo, 'cwd' | 'env'>): string {
  return io.env.MULTIARCH_CACHE_DIR ? path.resolve(io.cwd, io.env.MULTIARCH_CACHE_DIR) : path.join(config.dir, '.multiarch', 'cache');
}

function describeProblem(error: MultiarchError | unknown): string {
  if (!isMultiarchError(error)) return String(error);
  return `${error.message}${error.hint ? ` (${error.hint})` : ''}`;
}
