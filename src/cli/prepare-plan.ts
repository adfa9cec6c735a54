/**
 * Shared by plan and apply: load the config, gather facts, resolve the selectors, and make the one
 * pure call to createPlan. `requireBuilder` makes a missing Docker client (or a missing ambient
 * engine that a build needs) an error (apply) rather than a fact the plan reports (plan). An
 * unreachable builder with a host or context of its own is a fact either way: plan shows it, apply
 * fails that builder's nodes.
 */
import { loadConfig } from '../config/load.js';
import type { ResolvedConfig } from '../config/resolved.js';
import { MultiarchError, isMultiarchError } from '../errors/multiarch-error.js';
import { createPlan } from '../plan/create-plan.js';
import { isAmbient, usedBuilders } from '../plan/engines.js';
import type { Plan } from '../plan/nodes.js';
import { resolveSelection } from '../plan/selection.js';
import type { CliOptions } from './args.js';
import { gatherEngineFacts } from './gather-engines.js';
import { builderFacts, detectClient, gitFacts, type ClientFactsResult } from './gather-facts.js';
import type { CliIo } from './io.js';
import { hasScans, lastScanFacts, scannerFacts, utcDay } from './scan-facts.js';

export interface PreparedPlan {
  readonly plan: Plan;
  readonly config: ResolvedConfig;
  /** The docker client to build with (and the ambient engine, if it answered). */
  readonly client?: ClientFactsResult;
  /** Why there is no builder, when plan ran without one. */
  readonly builderProblem?: string;
}

export async function preparePlan(options: CliOptions, io: CliIo, requireBuilder: boolean): Promise<PreparedPlan> {
  // Independent I/O: load the config while the docker clients are probed.
  const clientProbe = detectClient(io.env).then(
    (client) => ({ client }),
    (error: unknown) => ({ error }),
  );
  const { config } = await loadConfig({ cwd: io.cwd, ...(options.config ? { file: options.config } : {}) });
  const selection = resolveSelection(config, { images: options.images, platforms: options.platforms });
  if (!selection.ok) throw new MultiarchError('E_USAGE', selection.message, { hint: selection.hint });
  const builders = usedBuilders(config, selection.selection);
  const enginesProbe = clientProbe.then((probe) => ('client' in probe ? gatherEngineFacts(probe.client, builders) : undefined));
  const [probe, engines, git] = await Promise.all([clientProbe, enginesProbe, gitFacts(config.dir, io.env)]);
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
  const builder = client?.engine ? builderFacts({ choice: client.choice, engine: client.engine, emulated: client.emulated }) : undefined;
  const now = new Date();
  const facts = {
    ...(builder ? { builder } : {}),
    ...(engines ? { engines } : {}),
    git,
    today: utcDay(now),
    scanners: await scannerFacts(config, selection.selection.images, now),
  };
  let plan = createPlan(config, facts, selection.selection);
  if (hasScans(plan)) {
    // Which cached scans apply depends on the plan's local tags: plan once more with them (pure, cheap).
    const docker = client ? { binary: client.choice.client.binary, version: client.choice.client.version, env: {} } : undefined;
    const lastScans = await lastScanFacts(plan, config.dir, docker);
    if (Object.keys(lastScans).length > 0) plan = createPlan(config, { ...facts, lastScans }, selection.selection);
  }
  return { plan, config, ...(client ? { client } : {}), ...(builderProblem ? { builderProblem } : {}) };
}

function describeProblem(error: MultiarchError | unknown): string {
  if (!isMultiarchError(error)) return String(error);
  return `${error.message}${error.hint ? ` (${error.hint})` : ''}`;
}
