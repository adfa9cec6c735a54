/**
 * Picks the reporter for a run: `--json` → NDJSON events; a TTY outside CI → the Ink live view;
 * anything else (pipes, CI logs, Deno) → plain lines. Colour follows shouldUseColor.
 */
import process from 'node:process';
import { shouldUseColor } from './color.js';
import { chooseReporter, type ReporterOptions } from './reporter-choice.js';
import { createInkReporter } from './ink/ink-reporter.js';
import { createJsonReporter } from './json.js';
import { createPlainReporter } from './plain.js';
import type { Reporter } from './reporter-types.js';

export type { Reporter, WriteFn } from './reporter-types.js';
export { chooseReporter, type ReporterKind, type ReporterOptions } from './reporter-choice.js';

export function createReporter(options: ReporterOptions): Reporter {
  const color = shouldUseColor({ isTTY: options.isTTY, env: options.env, ...(options.color !== undefined ? { flag: options.color } : {}) });
  switch (chooseReporter(options)) {
    case 'json':
      return createJsonReporter({ write: options.write });
    case 'ink':
      return createInkReporter({ stdout: options.stdout ?? process.stdout, verbose: options.verbose, color });
    case 'plain':
      return createPlainReporter({ write: options.write, verbose: options.verbose, color });
  }
}
