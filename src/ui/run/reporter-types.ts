/** What every reporter (Ink, plain, JSON) hands the CLI. */
import type { EventSink } from '../../exec/events.js';

export interface Reporter {
  /** Receives every event of a run, in order. */
  readonly sink: EventSink;
  /** Resolves once everything is written (the Ink app unmounted); call it after `execute`. */
  done(): Promise<void>;
}

/** Where text goes: `(text) => process.stdout.write(text)`; `text` ends with a newline. */
export type WriteFn = (text: string) => void;
