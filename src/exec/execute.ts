/**
 * Walks a plan: starts every ready node up to the concurrency limits, hands each to the step for
 * its kind, and reports everything as ExecEvents. A step failure is a value (the node fails, its
 * dependents are skipped, the rest goes on); aborting the signal stops scheduling and reaches every
 * running step. Never throws for a node; returns the summary.
 */
import { serializeError } from '../errors/format-error.js';
import { isMultiarchError } from '../errors/multiarch-error.js';
import type { NodeKind, NodeOfKind, Plan, PlanNode } from '../plan/nodes.js';
import type { EventSink, NodeResultInfo, NodeStatus, NodeSummary, ProgressUnit, RunSummary, SerializedError } from './events.js';
import { describeNode } from '../plan/describe-node.js';
import { builderLimits, kindLimits, startableNodes, type Limits } from './limits.js';
import { Schedule } from './schedule.js';

export interface StepContext {
  readonly signal: AbortSignal;
  /** The value a finished dependency returned. */
  outputOf<T>(id: string): T;
  progress(message: string, current?: number, total?: number, unit?: ProgressUnit): void;
  log(line: string, stream?: 'stdout' | 'stderr'): void;
  /**
   * Records refs the step has already written (the registry holds them) before it is done: if the
   * step then fails or is canceled (e.g. during a read-back), they still appear in `published`,
   * marked `interrupted`.
   */
  wrote(refs: readonly string[], digest: string): void;
}

export interface StepResult<T = unknown> {
  /** `cached` when the step found its work already done. */
  readonly status?: 'succeeded' | 'cached';
  /** What dependents receive through `outputOf`. */
  readonly output: T;
  readonly info?: NodeResultInfo;
}

export type StepFn<K extends NodeKind> = (node: NodeOfKind<K>, ctx: StepContext) => Promise<StepResult>;
export type StepTable = { readonly [K in NodeKind]: StepFn<K> };

export interface ExecuteOptions {
  readonly steps: StepTable;
  readonly emit: EventSink;
  /** Nodes running at once, in all. */
  readonly concurrency: number;
  /** Per-kind caps under the total, e.g. `{ build: 1 }` for a builder that cannot overlap safely. */
  readonly limits?: Partial<Record<NodeKind, number>>;
  /**
   * Caps per resource (see limits.ts), over the per-kind ones and the `concurrency` of the plan's
   * builders, which always apply.
   */
  readonly resourceLimits?: Readonly<Record<string, number>>;
  readonly signal?: AbortSignal;
  readonly now?: () => number;
  /**
   * How long each node took when it last did real work (node id → ms), from an earlier run; a node
   * that ends `cached` is credited the difference as `savedMs`.
   */
  readonly previousDurations?: Readonly<Record<string, number>>;
}

export async function execute(plan: Plan, options: ExecuteOptions): Promise<RunSummary> {
  const now = options.now ?? Date.now;
  const { emit } = options;
  const startedAt = now();
  const outputs = new Map<string, unknown>();
  const summaries = new Map<string, NodeSummary>();
  const started = new Map<string, number>();
  const running = new Map<string, Promise<void>>();
  const earlyWrites = new Map<string, { refs: readonly string[]; digest: string }>();
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  const schedule = new Schedule(plan);
  emit({
    type: 'run:start',
    at: startedAt,
    configFile: plan.configFile,
    nodes: plan.order.map((id) => {
      const node = plan.nodes[id]!;
      return { id, kind: node.kind, image: node.image, label: describeNode(node), deps: node.deps };
    }),
  });

  const settle = (id: string, status: NodeStatus, extra: { result?: NodeResultInfo; error?: SerializedError; reason?: string } = {}) => {
    const node = plan.nodes[id]!;
    const at = now();
    const durationMs = started.has(id) ? at - started.get(id)! : 0;
    const previous = status === 'cached' ? options.previousDurations?.[id] : undefined;
    const saved = previous !== undefined ? { savedMs: Math.max(0, previous - durationMs) } : {};
    summaries.set(id, { id, kind: node.kind, image: node.image, label: describeNode(node), status, durationMs, ...extra, ...saved });
    emit({ type: 'node:end', at, id, status, durationMs, ...extra });
  };

  const runNode = async (node: PlanNode) => {
    const ctx: StepContext = {
      signal: controller.signal,
      outputOf: <T>(id: string) => {
        if (!outputs.has(id)) throw new Error(`${node.id} asked for the output of ${id}, which has none`);
        return outputs.get(id) as T;
      },
      progress: (message, current, total, unit) =>
        emit({
          type: 'node:progress',
          at: now(),
          id: node.id,
          message,
          ...(current !== undefined ? { current } : {}),
          ...(total !== undefined ? { total } : {}),
          ...(unit !== undefined ? { unit } : {}),
        }),
      log: (line, stream = 'stdout') => emit({ type: 'node:output', at: now(), id: node.id, stream, line }),
      wrote: (refs, digest) => earlyWrites.set(node.id, { refs: [...refs], digest }),
    };
    let status: NodeStatus;
    let extra: { result?: NodeResultInfo; error?: SerializedError } = {};
    try {
      const step = options.steps[node.kind] as StepFn<typeof node.kind>;
      const result = await step(node as never, ctx);
      outputs.set(node.id, result.output);
      status = result.status ?? 'succeeded';
      if (result.info) extra = { result: result.info };
    } catch (error) {
      const canceled = controller.signal.aborted && (!isMultiarchError(error) || error.code === 'E_CANCELED');
      status = canceled ? 'canceled' : 'failed';
      extra = { error: serializeError(error) };
    }
    const settled = schedule.complete(node.id, status);
    settle(node.id, status, extra);
    for (const s of settled) settle(s.id, s.status, { reason: s.reason });
  };

  const limits: Limits = {
    total: options.concurrency,
    resources: { ...kindLimits(options.limits ?? {}), ...builderLimits(plan), ...options.resourceLimits },
  };

  const aborted = abortPromise(controller.signal);
  while (!schedule.isFinished()) {
    if (controller.signal.aborted) {
      for (const s of schedule.cancelPending('canceled')) settle(s.id, s.status, { reason: s.reason });
    } else {
      for (const id of startableNodes(plan, schedule, limits)) {
        const node = plan.nodes[id]!;
        schedule.start(id);
        started.set(id, now());
        emit({ type: 'node:start', at: started.get(id)!, id });
        const promise = runNode(node).finally(() => running.delete(id));
        running.set(id, promise);
      }
    }
    if (running.size === 0) {
      if (schedule.isFinished()) break;
      // Nothing runs and nothing can start: only possible if a dependency is missing from the plan.
      throw new Error(`scheduler stalled with pending nodes: ${plan.order.filter((id) => schedule.stateOf(id) === 'pending').join(', ')}`);
    }
    // Once aborted, wait only for the running steps to wind down (they got the signal).
    await Promise.race(controller.signal.aborted ? [...running.values()] : [...running.values(), aborted]);
  }
  options.signal?.removeEventListener('abort', onAbort);

  const nodes = plan.order.map((id) => summaries.get(id)!);
  const summary: RunSummary = {
    status: controller.signal.aborted ? 'canceled' : nodes.every((n) => n.status === 'succeeded' || n.status === 'cached') ? 'succeeded' : 'failed',
    durationMs: now() - startedAt,
    nodes,
    published: nodes.flatMap((n) => {
      if (n.kind !== 'push' && n.kind !== 'index') return [];
      const kind = n.kind === 'push' ? ('platform' as const) : ('index' as const);
      if (n.result?.digest && n.result.refs) return n.result.refs.map((ref) => ({ ref, digest: n.result!.digest!, kind }));
      // Written, then the step failed or was canceled before it finished (e.g. the read-back).
      const early = n.status === 'failed' || n.status === 'canceled' ? earlyWrites.get(n.id) : undefined;
      return early ? early.refs.map((ref) => ({ ref, digest: early.digest, kind, interrupted: true as const })) : [];
    }),
    ...(nodes.some((n) => n.status === 'cached') ? { savedMs: nodes.reduce((sum, n) => sum + (n.savedMs ?? 0), 0) } : {}),
  };
  emit({ type: 'run:end', at: now(), summary });
  return summary;
}

function abortPromise(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
