/**
 * `--json`: every event as one line of JSON (NDJSON), nothing else on stdout. The stream's shape is
 * documented in docs/events-json.md and docs/schema/events.schema.json.
 */
import type { ExecEvent, ExecEventType, SerializedError } from '../../exec/events.js';
import type { Reporter, WriteFn } from './reporter-types.js';

export interface JsonReporterOptions {
  readonly write: WriteFn;
}

/**
 * Every event type the stream carries. A new event does not compile until it is listed here, and
 * a unit test checks that the JSON Schema describes exactly these.
 */
export const JSON_EVENT_TYPES = Object.keys({
  'run:start': true,
  'node:start': true,
  'node:progress': true,
  'node:output': true,
  'node:end': true,
  'run:end': true,
} satisfies Record<ExecEventType, true>) as ExecEventType[];

export function createJsonReporter({ write }: JsonReporterOptions): Reporter {
  return {
    sink: (event: ExecEvent) => write(`${JSON.stringify(event)}\n`),
    done: () => Promise.resolve(),
  };
}

/**
 * The one line `--json` prints instead of events when the command fails before a run starts (bad
 * flags, config or plan): `{"type":"error","error":{code,message,hint?,details?}}`.
 */
export function formatJsonError(error: SerializedError): string {
  return `${JSON.stringify({ type: 'error', error })}\n`;
}
