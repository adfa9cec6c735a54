/**
 * The builder this machine offers (and whether its engine answers) and which foreign
 * architectures can be emulated. Edge: runs docker (only for a client not seen before), asks the
 * engine's socket, reads /proc and the environment.
 */
import path from 'node:path';
import process from 'node:process';
import { chooseBuilder, describeChoice, type BuilderChoice } from '../docker/choose-builder.js';
import { findDockerBinaries, probeClient, requireEngine, type EngineInfo } from '../docker/detect.js';
import { detectEmulatedArches } from '../docker/emulation.js';
import { clientKey, readMemo, writeMemo } from '../docker/client-memo.js';
import { buildxCandidates, pluginMayExist } from '../docker/cli-plugins.js';
import { localEngine } from '../docker/engine-memo.js';
import { ambientSocket } from '../docker/engine-socket.js';
import { MultiarchError } from '../errors/multiarch-error.js';
import { userCacheDir } from './cache-dir.js';
import type { PlanFacts } from '../plan/nodes.js';

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
  // Every probe process is spawned before this returns its promise (see findDockerBinaries). A
  // client already seen (same binary and plugins, see client-memo.ts) is not run again, and the
  // local engine is asked over its socket: a run that builds nothing starts no docker process.
  const binaries = findDockerBinaries(env);
  const memoPath = path.join(userCacheDir(env), 'docker-clients.json');
  const memo = readMemo(memoPath);
  const socket = ambientSocket(env);
  const plugins = buildxCandidates(env);
  const keys = binaries.map((b) => clientKey(b, plugins));
  const remembered = keys.map((k) => (k && socket ? memo[k] : undefined));
  // No buildx plugin where the CLI looks: `docker buildx version` could only fail, so it is not run.
  const buildx = pluginMayExist(plugins);
  const engineProbe = socket && remembered.some(Boolean) ? localEngine(socket, path.join(userCacheDir(env), 'docker-engines.json')) : Promise.resolve(undefined);
  const [probed, emulated, socketEngine] = await Promise.all([
    Promise.all(binaries.map((b, i) => (remembered[i] ? undefined : probeClient(b, { buildx })))),
    detectEmulatedArches(),
    engineProbe,
  ]);
  const probes = binaries.map((binary, i) => {
    const offer = remembered[i];
    return offer ? { binary, ...offer, ...(socketEngine ? { engine: socketEngine } : {}) } : probed[i];
  });
  const fresh = binaries.flatMap((_, i) => {
    const p = probed[i];
    return p && keys[i] ? [[keys[i]!, { version: p.version, ...(p.buildx ? { buildx: p.buildx } : {}) }] as const] : [];
  });
  if (fresh.length > 0) await writeMemo(memoPath, { ...memo, ...Object.fromEntries(fresh) });
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
