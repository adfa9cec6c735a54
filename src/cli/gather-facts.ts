/**
 * What the shell observes before planning: the builder this machine offers (and whether its
 * engine answers), which foreign architectures can be emulated, and git's revision/source/time for
 * OCI labels. Edge: runs docker and git, reads /proc and the environment.
 */
import process from 'node:process';
import { chooseBuilder, describeChoice, type BuilderChoice } from '../docker/choose-builder.js';
import { findDockerBinaries, probeClient, requireEngine, type EngineInfo } from '../docker/detect.js';
import { detectEmulatedArches } from '../docker/emulation.js';
import { MultiarchError } from '../errors/multiarch-error.js';
import type { PlanFacts } from '../plan/nodes.js';
import { run } from '../sys/run.js';
import { publicSourceUrl } from './source-url.js';

export interface BuilderFactsResult {
  readonly choice: BuilderChoice;
  readonly engine: EngineInfo;
  readonly emulated: readonly string[];
}

export interface ClientFactsResult {
  readonly choice: BuilderChoice;
  /** The ambient engine, when it answered the chosen client. */
  readonly engine?: EngineInfo;
  /** Why it did not (E_DOCKER_UNAVAILABLE), for when a build needs it. */
  readonly engineError?: MultiarchError;
  readonly emulated: readonly string[];
}

/** Throws E_DOCKER_UNAVAILABLE when there is no client or no engine. */
export async function detectBuilder(env: NodeJS.ProcessEnv = process.env): Promise<BuilderFactsResult> {
  const found = await detectClient(env);
  if (!found.engine) throw found.engineError!;
  return { choice: found.choice, engine: found.engine, emulated: found.emulated };
}

/**
 * The docker client to build with and the ambient engine, which only builders without a host or
 * context of their own use. Throws E_DOCKER_UNAVAILABLE when there is no client.
 */
export async function detectClient(env: NodeJS.ProcessEnv = process.env): Promise<ClientFactsResult> {
  // Every probe process is spawned before this returns its promise (see findDockerBinaries).
  const binaries = findDockerBinaries(env);
  const [probes, emulated] = await Promise.all([Promise.all(binaries.map(probeClient)), detectEmulatedArches()]);
  const clients = probes.filter((p) => p !== undefined);
  const chosen = chooseBuilder(clients, env.MULTIARCH_BUILDER);
  if (!chosen.ok) throw new MultiarchError('E_DOCKER_UNAVAILABLE', chosen.message, { hint: chosen.hint });
  const probe = clients.find((c) => c.binary === chosen.choice.client.binary)!;
  try {
    return { choice: chosen.choice, engine: requireEngine(probe), emulated };
  } catch (error) {
    return { choice: chosen.choice, engineError: error as MultiarchError, emulated };
  }
}

export function builderFacts(result: BuilderFactsResult): NonNullable<PlanFacts['builder']> {
  return {
    kind: result.choice.kind,
    description: `${describeChoice(result.choice)}; engine ${result.engine.version}`,
    nativePlatform: result.engine.platform,
    emulated: result.emulated,
  };
}

export async function gitFacts(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<NonNullable<PlanFacts['git']>> {
  const git = async (...args: string[]) => {
    const r = await run('git', args, { cwd, timeoutMs: 10_000 }).catch(() => undefined);
    return r?.exitCode === 0 ? r.stdout.trim() : undefined;
  };
  const [revision, remote] = await Promise.all([git('rev-parse', 'HEAD'), git('config', '--get', 'remote.origin.url')]);
  // Reproducible: the commit's time (or SOURCE_DATE_EPOCH), never "now", so rebuilding the same
  // commit gives the same image config.
  const epoch = env.SOURCE_DATE_EPOCH ? Number(env.SOURCE_DATE_EPOCH) : undefined;
  const created =
    epoch !== undefined && Number.isFinite(epoch) ? new Date(epoch * 1000).toISOString() : revision ? await git('log', '-1', '--format=%cI') : undefined;
  const source = remote ? publicSourceUrl(remote) : undefined;
  return { ...(revision ? { revision } : {}), ...(source ? { source } : {}), ...(created ? { created } : {}) };
}
