/**
 * `multiarch apply`: runs the plan on each builder's engine and the registries, reporting through
 * the chosen reporter. What the plan found current is skipped (reported as cached). With a saved
 * plan (`apply plan.json`) it first checks nothing moved since. `--shard-out` runs one platform's
 * share into an OCI layout (plan/shard-plan.ts); `--merge` publishes the shards (plan/merge-plan.ts).
 * Exit 0 only when every node succeeded.
 */
import path from 'node:path';
import { createDockerEngines } from '../../docker/docker-engine.js';
import { createEnginePool } from '../../docker/engine-pool.js';
import { MultiarchError } from '../../errors/multiarch-error.js';
import { execute } from '../../exec/execute.js';
import type { EventSink } from '../../exec/events.js';
import { createBackgroundWork } from '../../exec/background.js';
import type { Engines } from '../../exec/ports/engine.js';
import { createSteps, type StepAdapters } from '../../exec/steps/create-steps.js';
import { createImageExports } from '../../exec/steps/image-exports.js';
import { createRepositoryCreations } from '../../exec/steps/create-repositories.js';
import { ecrRepositoryCreator } from '../../ecr/repository-creator.js';
import { BlobStore } from '../../image/blob-store.js';
import { createStorePool } from '../../publish/store-pool.js';
import { appliedState, recordApplied } from '../../state/record-applied.js';
import { createRegistryAccess } from '../../state/registry-access.js';
import { clearShardRecord, recordShard } from '../../state/shard-record.js';
import { redactDeep } from '../../sys/redact.js';
import { shouldUseColor } from '../../ui/color.js';
import { createReporter } from '../../ui/run/reporter.js';
import type { CliOptions } from '../args.js';
import type { CliIo } from '../io.js';
import { restorePlanArgs } from '../../plan/secret-args.js';
import { readPlanFile } from '../plan-file.js';
import { gatherSavedPlanFacts } from '../../facts/saved-plan.js';
import { makePlan, type MadePlan } from '../make-plan.js';
import { historyFile, previousDurations, readRunHistory, recordDurations, writeRunHistory } from '../run-history.js';
import { startScanRun } from '../scan-run.js';
import { createAttestServices } from '../supply-services.js';
import { withSupplyChain } from '../../exec/steps/supply.js';
import { withShardPredicates } from '../../exec/steps/shard-predicates.js';

const DEFAULT_CONCURRENCY = 4;

type Runnable = Pick<MadePlan, 'plan' | 'config' | 'client' | 'cacheDir' | 'registries' | 'key'>;

export async function applyCommand(options: CliOptions, io: CliIo): Promise<number> {
  const { plan, config, client, cacheDir, registries, key }: Runnable = await planToRun(options, io);
  const shardDir = options.shardOut ? path.resolve(io.cwd, options.shardOut) : undefined;
  const scanRun = startScanRun(plan, config, options, io);
  const store = new BlobStore(cacheDir);
  const background = createBackgroundWork();
  // The composition root: the engine port on the Docker CLI. A merge builds nothing: it needs no engine at all.
  const engines = client ? createDockerEngines(createEnginePool(client.choice, plan.builders, plan.facts.engines, { background }), store) : NO_ENGINES;
  if (shardDir) await clearShardRecord(shardDir);
  const history = await readRunHistory(historyFile(cacheDir));
  const access = createRegistryAccess(registries, []);
  const adapters: StepAdapters = {
    engines,
    prepares: (image: string) => config.images[image]?.prepare,
    store,
    images: createImageExports(engines, store, access),
    access,
    stores: createStorePool(registries),
    repositories: createRepositoryCreations(ecrRepositoryCreator),
    background,
    ...(scanRun.services ? { scanners: scanRun.services } : {}),
  };
  // Signing wraps whatever a push or index step does (written, copied, retagged or already current);
  // a shard, without a key, makes the predicates for the merge to sign.
  const attest = await createAttestServices(plan);
  const steps = withSupplyChain(withShardPredicates(createSteps(adapters), adapters, attest), adapters, key ? { ...attest, key } : undefined);
  const color = shouldUseColor({ isTTY: io.isTTY, env: io.env, ...(options.color !== undefined ? { flag: options.color } : {}) });
  const reporter = await createReporter({
    json: options.json,
    verbose: options.verbose,
    isTTY: io.isTTY,
    env: io.env,
    color,
    write: io.stdout,
    signal: io.signal,
  });
  // Every event is scrubbed of registered secrets before any reporter sees it.
  const sink: EventSink = (event) => reporter.sink(redactDeep(event));
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const summary = await execute(plan, {
    steps,
    emit: sink,
    concurrency,
    // The legacy builder keeps one tag cache per engine: its builds must not overlap. One scan at a
    // time: scanners lock their cache directory, and scans are CPU-heavy.
    limits: { ...(client?.choice.kind === 'legacy' ? { build: 1 } : {}), scan: 1 },
    signal: io.signal,
    previousDurations: previousDurations(history, plan.configFile),
  });
  await adapters.background.settle();
  await writeRunHistory(historyFile(cacheDir), recordDurations(history, plan.configFile, summary));
  // What the run wrote, as its nodes reported it.
  const written = summary.nodes.flatMap((n) => (n.result?.written ? [n.result.written] : []));
  await recordApplied(cacheDir, appliedState(written), new Date().toISOString());
  // The record goes last, and only for a complete shard: a merge refuses a directory without it.
  if (shardDir && summary.status === 'succeeded') {
    await recordShard(plan, shardDir, { config: path.relative(io.cwd, plan.configFile), created: new Date().toISOString() }, io.signal);
  }
  await reporter.done();
  await scanRun.finish(color);
  if (summary.status === 'canceled') return 130;
  return summary.status === 'succeeded' ? 0 : 1;
}

function planToRun(options: CliOptions, io: CliIo): Promise<Runnable> {
  return options.planFile ? savedPlan(options, io) : makePlan(options, io, true);
}

const NO_ENGINES: Engines = {
  get: (name) => {
    throw new MultiarchError('E_INTERNAL', `no docker client was looked for (a merge, or only direct builds), yet builder ${name} was asked for`);
  },
};

/** `apply plan.json`: exactly the saved plan, once inputs and registries are checked unchanged. */
async function savedPlan(options: CliOptions, io: CliIo): Promise<Runnable> {
  const selectors = [options.images.length && '--image', options.platforms.length && '--platform', options.force && '--force', options.since && '--since', options.config && '--config'].filter(Boolean);
  if (selectors.length > 0) {
    throw new MultiarchError('E_USAGE', `${selectors.join(', ')} cannot change a saved plan`, { hint: 'a saved plan is applied exactly as it was made; make a new one with those options' });
  }
  const file = path.resolve(io.cwd, options.planFile!);
  const plan = await readPlanFile(file);
  const { config, client, cacheDir, registries, key } = await gatherSavedPlanFacts(plan, file, io);
  // Secret-looking build args were saved as *** (plan/secret-args.ts): the config has them.
  return { plan: restorePlanArgs(plan, (image) => config.images[image]?.args), config, client, cacheDir, registries, ...(key ? { key } : {}) };
}
