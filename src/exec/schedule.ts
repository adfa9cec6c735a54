/**
 * The executor's bookkeeping over a plan: which nodes may start now, what a finished node does to
 * its dependents (a failure skips everything downstream of it, and only that), and cancellation.
 * A deterministic state machine with no I/O and no clock (execute.ts drives it), kept as one
 * mutable object so that each transition costs about what it changes: a plan of thousands of nodes
 * is not copied or rescanned after every step.
 */
import type { Plan } from '../plan/nodes.js';
import type { NodeStatus } from './events.js';

export type NodeState = 'pending' | 'running' | NodeStatus;

export interface Settled {
  readonly id: string;
  readonly status: NodeStatus;
  readonly reason: string;
}

const isSuccess = (s: NodeState | undefined) => s === 'succeeded' || s === 'cached';
const isFailure = (s: NodeState | undefined) => s === 'failed' || s === 'skipped' || s === 'canceled';

export class Schedule {
  private readonly states = new Map<string, NodeState>();
  private readonly reasonOf = new Map<string, string>();
  /** Per node: how many of its dependencies have not succeeded yet. */
  private readonly waiting = new Map<string, number>();
  private readonly dependents = new Map<string, string[]>();
  private readonly position = new Map<string, number>();
  /** Pending nodes whose dependencies all succeeded (kept sorted by plan position on read). */
  private readonly readySet = new Set<string>();
  private readonly runningSet = new Set<string>();
  private open: number;

  constructor(private readonly plan: Plan) {
    plan.order.forEach((id, i) => {
      this.states.set(id, 'pending');
      this.position.set(id, i);
      this.dependents.set(id, []);
    });
    for (const id of plan.order) {
      const deps = plan.nodes[id]!.deps;
      this.waiting.set(id, deps.length);
      for (const dep of deps) this.dependents.get(dep)?.push(id);
      if (deps.length === 0) this.readySet.add(id);
    }
    this.open = plan.order.length;
  }

  stateOf(id: string): NodeState | undefined {
    return this.states.get(id);
  }

  /** For skipped/canceled nodes: the node whose failure or cancellation reached them. */
  reason(id: string): string | undefined {
    return this.reasonOf.get(id);
  }

  /** Pending nodes whose dependencies all succeeded, in plan order. */
  ready(): string[] {
    return this.byPosition(this.readySet);
  }

  /** Running nodes, in the order they started. */
  running(): string[] {
    return [...this.runningSet];
  }

  isFinished(): boolean {
    return this.open === 0;
  }

  start(id: string): void {
    if (this.states.get(id) !== 'pending') throw new Error(`cannot start ${id}: it is ${this.states.get(id)}`);
    this.states.set(id, 'running');
    this.readySet.delete(id);
    this.runningSet.add(id);
  }

  /** Records how `id` ended; returns the nodes that became final with it (skipped dependents). */
  complete(id: string, status: NodeStatus): Settled[] {
    if (this.states.get(id) !== 'running') throw new Error(`cannot complete ${id}: it is ${this.states.get(id)}`);
    this.states.set(id, status);
    this.runningSet.delete(id);
    this.open--;
    if (isSuccess(status)) {
      for (const next of this.dependents.get(id) ?? []) {
        const left = this.waiting.get(next)! - 1;
        this.waiting.set(next, left);
        if (left === 0 && this.states.get(next) === 'pending') this.readySet.add(next);
      }
      return [];
    }
    // Everything pending downstream of the failure, settled in plan order: a node's deps are
    // settled before it is looked at, so each names the failure that really reached it.
    const reached = new Set<string>();
    const queue = [id];
    while (queue.length > 0) {
      for (const next of this.dependents.get(queue.pop()!) ?? []) {
        if (this.states.get(next) === 'pending' && !reached.has(next)) {
          reached.add(next);
          queue.push(next);
        }
      }
    }
    const settled: Settled[] = [];
    for (const other of this.byPosition(reached)) {
      const blocker = this.plan.nodes[other]!.deps.find((dep) => isFailure(this.states.get(dep)))!;
      const reason = this.reasonOf.get(blocker) ?? blocker;
      this.states.set(other, 'skipped');
      this.reasonOf.set(other, reason);
      this.readySet.delete(other);
      this.open--;
      settled.push({ id: other, status: 'skipped', reason });
    }
    return settled;
  }

  /** Stop scheduling: every node not yet started is canceled. Running ones finish as their steps decide. */
  cancelPending(reason: string): Settled[] {
    const settled: Settled[] = [];
    for (const id of this.plan.order) {
      if (this.states.get(id) !== 'pending') continue;
      this.states.set(id, 'canceled');
      this.reasonOf.set(id, reason);
      settled.push({ id, status: 'canceled', reason });
    }
    this.readySet.clear();
    this.open -= settled.length;
    return settled;
  }

  private byPosition(ids: Iterable<string>): string[] {
    return [...ids].sort((a, b) => this.position.get(a)! - this.position.get(b)!);
  }
}
