/**
 * Which reporter a run gets — `--json` → NDJSON events; a TTY outside CI → the Ink live view;
 * anything else (pipes, CI logs, Deno) → plain lines — and loading it on demand, so a run that
 * prints plain lines or JSON never loads Ink and React.
 */
import process from 'node:process';
import { isCI, shouldUseColor } from './color.js';
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
}

export type ReporterKind = 'json' | 'ink' | 'plain';

export function chooseReporter({ json, isTTY, env }: Pick<ReporterOptions, 'json' | 'isTTY' | 'env'>): ReporterKind {
  if (json) return 'json';
  return isTTY && !isCI(env) && env.TERM !== 'dumb' ? 'ink' : 'plain';
}

/** createReporter, importing only the reporter chosen. */
export async function loadReporter(options: ReporterOptions): Promise<Reporter> {
  const kind = chooseReporter(options);
  if (kind === 'json') return (await import('./json.js')).createJsonReporter({ write: options.write });
  const color = shouldUseColor({ isTTY: options.isTTY, env: options.env, ...(options.color !== undefined ? { flag: options.color } : {}) });
  if (kind === 'ink') {
    const { createInkReporter } = await import('./ink/ink-reporter.js');
    return createInkReporter({ stdout: options.stdout ?? process.stdout, verbose: options.verbose, color });
  }
  return (await import('./plain.js')).createPlainReporter({ write: options.write, verbose: options.verbose, color });
}
