/**
 * Picks the reporter for a run: `--json` → NDJSON events; a TTY outside CI → the Ink live view;
 * anything else (pipes, CI logs, Deno) → plain lines. Colour follows shouldUseColor.
 */
import process from 'node:process';
import { isCI, shouldUseColor } from './color.js';
import { createInkReporter } from './ink/ink-reporter.js';
import { createJsonReporter } from './json.js';
import { createPlainReporter } from './plain.js';
import type { Reporter, WriteFn } from './reporter-types.js';

export type { Reporter, WriteFn } from './reporter-types.js';

export interface ReporterOptions {
  readonly json: boolean;
  readonly verbose: boolean;
  /** Whether stdout is a terminal. */
  readonly isTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `--color` / `--no-color`; undefined when neither was given. */
  readonly color?: boolean;
  /** Where the plain and JSON reporters write (stdout). */
  readonly write: WriteFn;
  /** The terminal the Ink view draws on; default process.stdout. */
  readonly stdout?: NodeJS.WriteStream;
  /** Aborted on Ctrl-C: the live view and the plain log say the run is stopping. */
  readonly signal?: AbortSignal;
}

export type ReporterKind = 'json' | 'ink' | 'plain';

export function chooseReporter({ json, isTTY, env }: Pick<ReporterOptions, 'json' | 'isTTY' | 'env'>): ReporterKind {
  if (json) return 'json';
  return isTTY && !isCI(env) && env.TERM !== 'dumb' ? 'ink' : 'plain';
}

export function createReporter(options: ReporterOptions): Reporter {
  const color = shouldUseColor({ isTTY: options.isTTY, env: options.env, ...(options.color !== undefined ? { flag: options.color } : {}) });
  const signal = options.signal ? { signal: options.signal } : {};
  switch (chooseReporter(options)) {
    case 'json':
      return createJsonReporter({ write: options.write });
    case 'ink':
      return createInkReporter({ stdout: options.stdout ?? process.stdout, verbose: options.verbose, color, ...signal });
    case 'plain':
      return createPlainReporter({ write: options.write, verbose: options.verbose, color, ...signal });
  }
}
