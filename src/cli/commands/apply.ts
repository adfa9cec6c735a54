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
import { createStorePool } from '../../publish/store-pool.js';
import { readHttpSettings } from '../../registry/http-settings.js';
import { createRegistryPool } from '../../registry/pool.js';
import { redactDeep } from '../../sys/redact.js';
import { createReporter } from '../../ui/reporter.js';
import type { CliOptions } from '../args.js';
import type { CliIo } from '../io.js';
import { preparePlan } from '../prepare-plan.js';

const DEFAULT_CONCURRENCY = 4;

export async function applyCommand(options: CliOptions, io: CliIo): Promise<number> {
  const { plan, config, builder: facts } = await preparePlan(options, io, true);
  const builder = createDockerBuilder(facts!.choice);
  const store = new BlobStore(io.env.MULTIARCH_CACHE_DIR ? path.resolve(io.cwd, io.env.MULTIARCH_CACHE_DIR) : path.join(config.dir, '.multiarch', 'cache'));
  const registries = createRegistryPool({ env: io.env, http: readHttpSettings(io.env) });
  const steps = createSteps({ builder, docker: builder.client, store, registries, stores: createStorePool(registries), exports: new Map() });
  const reporter = createReporter({
    json: options.json,
    verbose: options.verbose,
    isTTY: io.isTTY,
    env: io.env,
    ...(options.color !== undefined ? { color: options.color } : {}),
    write: io.stdout,
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
  });
  await reporter.done();
  if (summary.status === 'canceled') return 130;
  return summary.status === 'succeeded' ? 0 : 1;
}
