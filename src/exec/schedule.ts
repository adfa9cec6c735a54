/**
 * The executor's bookkeeping as a pure state machine over a plan: which nodes may start now,
 * what a finished node does to its dependents (a failure skips everything downstream of it, and
 * only that), and cancellation. No I/O, no clock: execute.ts drives it.
 */
import type { Plan } from '../plan/nodes.js';
import type { NodeStatus } from './events.js';

export type NodeState = 'pending' | 'running' | NodeStatus;

export interface ScheduleState {
  readonly states: Readonly<Record<string, NodeState>>;
  /** For skipped/canceled nodes: the node whose failure or cancellation reached them. */
  readonly reasons: Readonly<Record<string, string>>;
}

export interface Transition {
  readonly state: ScheduleState;
  /** Nodes that became final as a consequence (skipped dependents, canceled pending nodes). */
  readonly settled: ReadonlyArray<{ readonly id: string; readonly status: NodeStatus; readonly reason: string }>;
}

const isSuccess = (s: NodeState | undefined) => s === 'succeeded' || s === 'cached';
const isFinal = (s: NodeState) => s !== 'pending' && s !== 'running';

export function createSchedule(plan: Plan): ScheduleState {
  return { states: Object.fromEntries(plan.order.map((id) => [id, 'pending' as const])), reasons: {} };
}

/** Pending nodes whose dependencies all succeeded, in plan order. */
export function readyNodes(plan: Plan, state: ScheduleState): string[] {
  return plan.order.filter(
    (id) => state.states[id] === 'pending' && plan.nodes[id]!.deps.every((dep) => isSuccess(state.states[dep])),
  );
}

export function startNode(state: ScheduleState, id: string): ScheduleState {
  if (state.states[id] !== 'pending') throw new Error(`cannot start ${id}: it is ${state.states[id]}`);
  return { ...state, states: { ...state.states, [id]: 'running' } };
}

export function completeNode(plan: Plan, state: ScheduleState, id: string, status: NodeStatus): Transition {
  if (state.states[id] !== 'running') throw new Error(`cannot complete ${id}: it is ${state.states[id]}`);
  const states: Record<string, NodeState> = { ...state.states, [id]: status };
  const reasons: Record<string, string> = { ...state.reasons };
  const settled: Array<{ id: string; status: NodeStatus; reason: string }> = [];
  if (!isSuccess(status)) {
    // Walk the plan in order: a node's deps are settled before it is looked at.
    for (const other of plan.order) {
      if (states[other] !== 'pending') continue;
      const blocker = plan.nodes[other]!.deps.find((dep) => {
        const s = states[dep];
        return s === 'failed' || s === 'skipped' || s === 'canceled';
      });
      if (!blocker) continue;
      states[other] = 'skipped';
      reasons[other] = reasons[blocker] ?? blocker;
      settled.push({ id: other, status: 'skipped', reason: reasons[other]! });
    }
  }
  return { state: { states, reasons }, settled };
}

/** Stop scheduling: every node not yet started is canceled. Running ones finish as their steps decide. */
export function cancelPending(state: ScheduleState, reason: string): Transition {
  const states: Record<string, NodeState> = { ...state.states };
  const reasons: Record<string, string> = { ...state.reasons };
  const settled: Array<{ id: string; status: NodeStatus; reason: string }> = [];
  for (const [id, s] of Object.entries(states)) {
    if (s !== 'pending') continue;
    states[id] = 'canceled';
    reasons[id] = reason;
    settled.push({ id, status: 'canceled', reason });
  }
  return { state: { states, reasons }, settled };
}

export function isFinished(state: ScheduleState): boolean {
  return Object.values(state.states).every(isFinal);
}

export function runningNodes(state: ScheduleState): string[] {
  return Object.entries(state.states)
    .filter(([, s]) => s === 'running')
    .map(([id]) => id);
}
