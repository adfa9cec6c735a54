/**
 * `multiarch apply`: runs the plan on each builder's engine and the registries, reporting through
 * the chosen reporter. Exit 0 only when every node succeeded.
 */
import path from 'node:path';
import { createEnginePool } from '../../docker/engine-pool.js';
import { execute } from '../../exec/execute.js';
import type { EventSink } from '../../exec/events.js';
import { createSteps } from '../../exec/steps/create-steps.js';
import { BlobStore } from '../../image/blob-store.js';
import { createStorePool } from '../../publish/store-pool.js';
import { readHttpSettings } from '../../registry/http-settings.js';
import { createRegistryPool } from '../../registry/pool.js';
import { redactDeep } from '../../sys/redact.js';
import { createReporter } from '../../ui/reporter.js';
import type { CliOptions } from '../args.js';
import type { CliIo } from '../io.js';
import { preparePlan } from '../prepare-plan.js';
import { historyFile, previousDurations, readRunHistory, recordDurations, writeRunHistory } from '../run-history.js';
import { startScanRun } from '../scan-run.js';
import { shouldUseColor } from '../../ui/color.js';

const DEFAULT_CONCURRENCY = 4;

export async function applyCommand(options: CliOptions, io: CliIo): Promise<number> {
  const { plan, config, client } = await preparePlan(options, io, true);
  const { choice } = client!;
  const scanRun = startScanRun(plan, config, options, io);
  const engines = createEnginePool(choice, plan.builders, plan.facts.engines);
  const cacheDir = io.env.MULTIARCH_CACHE_DIR ? path.resolve(io.cwd, io.env.MULTIARCH_CACHE_DIR) : path.join(config.dir, '.multiarch', 'cache');
  const store = new BlobStore(cacheDir);
  const history = await readRunHistory(historyFile(cacheDir));
  const registries = createRegistryPool({ env: io.env, http: readHttpSettings(io.env) });
  const steps = createSteps({
    engines,
    prepares: (image) => config.images[image]?.prepare,
    store,
    registries,
    stores: createStorePool(registries),
    exports: new Map(),
    ...(scanRun.services ? { scans: scanRun.services } : {}),
  });
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
    limits: { ...(choice.kind === 'legacy' ? { build: 1 } : {}), scan: 1 },
    signal: io.signal,
    previousDurations: previousDurations(history, plan.configFile),
  });
  await writeRunHistory(historyFile(cacheDir), recordDurations(history, plan.configFile, summary));
  await reporter.done();
  await scanRun.finish(color);
  if (summary.status === 'canceled') return 130;
  return summary.status === 'succeeded' ? 0 : 1;
}
