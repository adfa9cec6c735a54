/**
 * `multiarch apply`: runs the plan on the local engine and the registries, reporting through the
 * chosen reporter. Exit 0 only when every node succeeded.
 */
import path from 'node:path';
import { createDockerBuilder } from '../../docker/docker-builder.js';
import { execute } from '../../exec/execute.js';
import type { EventSink } from '../../exec/events.js';
import { createSteps } from '../../exec/steps/create-steps.js';
import { BlobStore } from '../../image/blob-store.js';
import { createRegistryPool } from '../../registry/pool.js';
import { redactDeep } from '../../sys/redact.js';
import { createReporter } from '../../ui/reporter.js';
import type { CliOptions } from '../args.js';
import type { CliIo } from '../io.js';
import { preparePlan } from '../prepare-plan.js';
import { historyFile, previousDurations, readRunHistory, recordDurations, writeRunHistory } from '../run-history.js';

const DEFAULT_CONCURRENCY = 4;

export async function applyCommand(options: CliOptions, io: CliIo): Promise<number> {
  const { plan, config, builder: facts } = await preparePlan(options, io, true);
  const builder = createDockerBuilder(facts!.choice);
  const cacheDir = io.env.MULTIARCH_CACHE_DIR ? path.resolve(io.cwd, io.env.MULTIARCH_CACHE_DIR) : path.join(config.dir, '.multiarch', 'cache');
  const store = new BlobStore(cacheDir);
  const history = await readRunHistory(historyFile(cacheDir));
  const steps = createSteps({ builder, docker: builder.client, store, registries: createRegistryPool({ env: io.env }), exports: new Map() });
  const reporter = createReporter({
    json: options.json,
    verbose: options.verbose,
    isTTY: io.isTTY,
    env: io.env,
    ...(options.color !== undefined ? { color: options.color } : {}),
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
    limits: builder.parallelSafe ? {} : { build: 1 },
    signal: io.signal,
    previousDurations: previousDurations(history, plan.configFile),
  });
  await writeRunHistory(historyFile(cacheDir), recordDurations(history, plan.configFile, summary));
  await reporter.done();
  if (summary.status === 'canceled') return 130;
  return summary.status === 'succeeded' ? 0 : 1;
}
