/**
 * Reporters handle events through a table with one entry per event type: adding an event to
 * `ExecEvent` breaks the build of every reporter until it handles it. Pure.
 */
import type { ExecEvent, ExecEventType } from '../../exec/events.js';

export type EventOf<K extends ExecEventType> = Extract<ExecEvent, { type: K }>;

/** One handler per event type; `A` are extra leading arguments (a reducer's state). */
export type EventTable<R, A extends unknown[] = []> = {
  readonly [K in ExecEventType]: (...args: [...A, EventOf<K>]) => R;
};

export function dispatch<R, A extends unknown[]>(table: EventTable<R, A>, event: ExecEvent, ...args: A): R {
  const handler = table[event.type] as (...all: [...A, ExecEvent]) => R;
  return handler(...args, event);
}
