/** Shared fixtures for the ui tests: a realistic plan (via the real planner) and recorded runs (via the real executor). */
import { validateConfig } from '../../../src/config/validate.js';
import { ref } from '../../../src/config/ref.js';
import { MultiarchError } from '../../../src/errors/multiarch-error.js';
import type { ExecEvent } from '../../../src/exec/events.js';
import { execute, type StepTable } from '../../../src/exec/execute.js';
import { createPlan } from '../../../src/plan/create-plan.js';
import { nodeRefs } from '../../../src/plan/describe-node.js';
import type { Plan, PlanFacts } from '../../../src/plan/nodes.js';
import { resolveSelection, type Selection } from '../../../src/plan/selection.js';

export const CONFIG_FILE = '/work/app/multiarch.config.ts';

export const userConfig = {
  registries: { local: { url: '127.0.0.1:5000', insecure: true } },
  images: {
    base: {
      context: './base',
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: ['v1'],
      test: { command: ['uname', '-m'], expectOutput: '{uname}' },
      publish: [{ registry: 'local', repository: 'team/base' }],
    },
    web: {
      context: './web',
      platforms: ['linux/amd64', 'linux/arm64'],
      args: { BASE: ref('base') },
      tags: ['v1', 'latest'],
      test: { http: { port: 8080, path: '/health' } },
      publish: [{ registry: 'local', repository: 'team/web' }],
    },
  },
};

export const facts: PlanFacts = {
  builder: { kind: 'buildx', description: 'docker buildx (docker-container driver)', nativePlatform: 'linux/amd64', emulated: ['aarch64'] },
};

export function makePlan(config: unknown = userConfig, planFacts: PlanFacts = facts, select: Selection = {}): Plan {
  const validated = validateConfig(config, CONFIG_FILE);
  if (!validated.ok) throw new Error(JSON.stringify(validated.issues, null, 2));
  const selection = resolveSelection(validated.config, select);
  if (!selection.ok) throw new Error(selection.message);
  return createPlan(validated.config, planFacts, selection.selection);
}

const DIGEST = (n: number) => `sha256:${String(n).padStart(4, '0')}${'ab12cd34ef56'.repeat(5)}`;

export interface RecordOptions {
  /** Node ids whose step throws E_BUILD_FAILED / E_TEST_FAILED after logging a few lines. */
  readonly fail?: readonly string[];
  readonly cached?: readonly string[];
  /** Abort the run while this node runs (it ends canceled, pending nodes are canceled). */
  readonly cancelAt?: string;
  /** Extra log lines the failing nodes print first. */
  readonly extraLines?: number;
  /** What an earlier run recorded (node id → ms), for time saved by cache. */
  readonly previousDurations?: Readonly<Record<string, number>>;
}

/** Runs `plan` with fake steps and a fake clock (each step takes 1.5s); returns every event. */
export async function recordRun(plan: Plan, options: RecordOptions = {}): Promise<ExecEvent[]> {
  const events: ExecEvent[] = [];
  let clock = new Date(2024, 0, 1, 12, 0, 0).getTime();
  let n = 0;
  const controller = new AbortController();
  const step = async (node: Plan['nodes'][string], ctx: Parameters<StepTable['build']>[1]) => {
    ctx.progress(`[1/2] FROM ${node.image}`, 1, 2);
    ctx.progress(`[1/2] FROM ${node.image}`, 1, 2);
    ctx.progress('[2/2] RUN make', 2, 2);
    if (node.kind === 'push') {
      ctx.progress(`${node.image}: blob 2/3`, 2_000_000, 6_900_000, 'bytes');
      ctx.progress(`${node.image}: blob 2/3`, 3_100_000, 6_900_000, 'bytes');
    }
    ctx.log(`#1 building ${node.id}`);
    ctx.log(`#2 done ${node.id}`, 'stderr');
    for (let i = 0; i < (options.extraLines ?? 0); i++) ctx.log(`step output line ${i + 1}`);
    clock += 1500;
    if (options.cancelAt === node.id) {
      controller.abort();
      throw new MultiarchError('E_CANCELED', 'interrupted');
    }
    if (options.fail?.includes(node.id)) {
      throw new MultiarchError(node.kind === 'test' ? 'E_TEST_FAILED' : 'E_BUILD_FAILED', `${node.kind} of ${node.id} failed: exit code 2`, {
        hint: 'read the log lines above; run `docker buildx build` with the same args to reproduce',
        details: [`#2 done ${node.id}`, 'make: *** [all] Error 2'],
      });
    }
    const refs = nodeRefs(node);
    const digest = DIGEST(++n);
    return {
      ...(options.cached?.includes(node.id) ? { status: 'cached' as const } : {}),
      output: { digest },
      info: refs.length > 0 ? { refs, digest } : { imageId: digest },
    };
  };
  await execute(plan, {
    steps: { prepare: step, build: step, test: step, scan: step, push: step, index: step },
    emit: (e) => events.push(e),
    concurrency: 1,
    signal: controller.signal,
    now: () => clock,
    ...(options.previousDurations ? { previousDurations: options.previousDurations } : {}),
  });
  return events;
}
