/**
 * `multiarch apply`: runs the plan on the local engine and the registries, reporting through the
 * chosen reporter. What the plan found current is skipped (reported as cached). With a saved plan
 * (`apply plan.json`) it first checks nothing moved since. Exit 0 only when every node succeeded.
 */
import path from 'node:path';
import { createDockerBuilder } from '../../docker/docker-builder.js';
import { MultiarchError } from '../../errors/multiarch-error.js';
import { execute } from '../../exec/execute.js';
import type { EventSink } from '../../exec/events.js';
import { withChanges } from '../../exec/incremental-steps.js';
import { createSteps } from '../../exec/steps/create-steps.js';
import { BlobStore } from '../../image/blob-store.js';
import { createRegistryPool } from '../../registry/pool.js';
import { recordApplied } from '../../state/record-applied.js';
import { redactDeep } from '../../sys/redact.js';
import { loadReporter } from '../../ui/reporter-choice.js';
import type { CliOptions } from '../args.js';
import { detectBuilder } from '../gather-facts.js';
import type { CliIo } from '../io.js';
import { readPlanFile, verifySavedPlan } from '../plan-file.js';
import { preparePlan, resolveCacheDir, type PreparedPlan } from '../prepare-plan.js';

const DEFAULT_CONCURRENCY = 4;

type Runnable = Pick<PreparedPlan, 'plan' | 'builder' | 'cacheDir' | 'registries'>;

export async function applyCommand(options: CliOptions, io: CliIo): Promise<number> {
  const prepared: Runnable = options.planFile ? await prepareSaved(options, io) : await preparePlan(options, io, true);
  const { plan, builder: facts, cacheDir, registries } = prepared;
  const builder = createDockerBuilder(facts!.choice);
  const store = new BlobStore(cacheDir);
  const services = { builder, docker: builder.client, store, registries, exports: new Map() };
  const { steps, applied } = withChanges(plan, createSteps(services), services);
  const reporter = await loadReporter({
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
  await recordApplied(cacheDir, applied, new Date().toISOString());
  await reporter.done();
  if (summary.status === 'canceled') return 130;
  return summary.status === 'succeeded' ? 0 : 1;
}

/** `apply plan.json`: exactly the saved plan, once inputs and registries are checked unchanged. */
async function prepareSaved(options: CliOptions, io: CliIo): Promise<Runnable> {
  const selectors = [options.images.length && '--image', options.platforms.length && '--platform', options.force && '--force', options.since && '--since', options.config && '--config'].filter(Boolean);
  if (selectors.length > 0) {
    throw new MultiarchError('E_USAGE', `${selectors.join(', ')} cannot change a saved plan`, { hint: 'a saved plan is applied exactly as it was made; make a new one with those options' });
  }
  const file = path.resolve(io.cwd, options.planFile!);
  const plan = await readPlanFile(file);
  const builder = await detectBuilder(io.env);
  const cacheDir = resolveCacheDir({ dir: path.dirname(plan.configFile) }, io);
  const registries = createRegistryPool({ env: io.env });
  await verifySavedPlan(plan, { builder, cacheDir, registries, signal: io.signal, file });
  return { plan, builder, cacheDir, registries };
}

