/**
 * What the shell observes before planning: the builder this machine offers (and whether its
 * engine answers), which foreign architectures can be emulated, and git's revision/source/time for
 * OCI labels. Edge: runs docker and git, reads /proc and the environment.
 */
import process from 'node:process';
import { chooseBuilder, describeChoice, type BuilderChoice } from '../docker/choose-builder.js';
import { findDockerBinaries, probeClient, requireEngine, type EngineInfo } from '../docker/detect.js';
import { detectEmulatedArches } from '../docker/emulation.js';
import { clientKey, memoFile, readMemo, writeMemo } from '../docker/client-memo.js';
import { ambientSocket, engineFromSocket } from '../docker/engine-socket.js';
import { MultiarchError } from '../errors/multiarch-error.js';
import type { PlanFacts } from '../plan/nodes.js';
import { run } from '../sys/run.js';
import { publicSourceUrl } from './source-url.js';
import { readGitHead } from './git-head-files.js';

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
  const memoPath = memoFile(env);
  const memo = readMemo(memoPath);
  const socket = ambientSocket(env);
  const keys = binaries.map((b) => clientKey(b, env));
  const remembered = keys.map((k) => (k && socket ? memo[k] : undefined));
  const engineProbe = socket && remembered.some(Boolean) ? engineFromSocket(socket) : Promise.resolve(undefined);
  const [probed, emulated, socketEngine] = await Promise.all([
    Promise.all(binaries.map((b, i) => (remembered[i] ? undefined : probeClient(b)))),
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

export async function gitFacts(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<NonNullable<PlanFacts['git']>> {
  const git = async (...args: string[]) => {
    const r = await run('git', args, { cwd, timeoutMs: 10_000 }).catch(() => undefined);
    return r?.exitCode === 0 ? r.stdout.trim() : undefined;
  };
  // The plain files answer without a process; git itself only for layouts they cannot tell.
  const files = readGitHead(cwd, env);
  const [revision, remote] = files ? [files.revision, files.remote] : await Promise.all([git('rev-parse', 'HEAD'), git('config', '--get', 'remote.origin.url')]);
  // Reproducible: the commit's time (or SOURCE_DATE_EPOCH), never "now", so rebuilding the same
  // commit gives the same image config.
  const epoch = env.SOURCE_DATE_EPOCH ? Number(env.SOURCE_DATE_EPOCH) : undefined;
  const created =
    epoch !== undefined && Number.isFinite(epoch)
      ? new Date(epoch * 1000).toISOString()
      : files
        ? files.created
        : revision
          ? await git('log', '-1', '--format=%cI')
          : undefined;
  const source = remote ? publicSourceUrl(remote) : undefined;
  return { ...(revision ? { revision } : {}), ...(source ? { source } : {}), ...(created ? { created } : {}) };
}
