/**
 * Picks the reporter for a run: `--json` → NDJSON events; GitHub Actions → plain lines with log
 * groups, error annotations and the step summary; a TTY outside CI → the Ink live view; anything
 * else (pipes, CI logs, Deno) → plain lines. Colour follows shouldUseColor.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, realpathSync } from 'node:fs';
import process from 'node:process';
import { isCI, shouldUseColor } from '../color.js';
import { createGithubReporter } from './github.js';
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

export type ReporterKind = 'json' | 'github' | 'ink' | 'plain';

export function chooseReporter({ json, isTTY, env }: Pick<ReporterOptions, 'json' | 'isTTY' | 'env'>): ReporterKind {
  if (json) return 'json';
  if (env.GITHUB_ACTIONS === 'true') return 'github';
  return isTTY && !isCI(env) && env.TERM !== 'dumb' ? 'ink' : 'plain';
}

/** Async because the Ink view is imported only when it is used: loading Ink costs ~0.5 s. */
export async function createReporter(options: ReporterOptions): Promise<Reporter> {
  const color = shouldUseColor({ isTTY: options.isTTY, env: options.env, ...(options.color !== undefined ? { flag: options.color } : {}) });
  const signal = options.signal ? { signal: options.signal } : {};
  switch (chooseReporter(options)) {
    case 'json':
      return createJsonReporter({ write: options.write });
    case 'ink': {
      const { createInkReporter } = await import('./ink/ink-reporter.js');
      return createInkReporter({ stdout: options.stdout ?? process.stdout, verbose: options.verbose, color, ...signal });
    }
    case 'plain':
      return createPlainReporter({ write: options.write, verbose: options.verbose, color, ...signal });
    case 'github': {
      const summaryFile = options.env.GITHUB_STEP_SUMMARY;
      return createGithubReporter({
        write: options.write,
        color,
        ...signal,
        stopToken: randomUUID(),
        ...(options.env.GITHUB_WORKSPACE ? { workspace: realPath(options.env.GITHUB_WORKSPACE) } : {}),
        ...(summaryFile ? { appendStepSummary: (markdown: string) => appendStepSummary(summaryFile, markdown, options.write) } : {}),
      });
    }
  }
}

/** Paths in errors come from the real working directory: compare like with like. */
function realPath(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

function appendStepSummary(file: string, markdown: string, write: WriteFn): void {
  try {
    appendFileSync(file, `${markdown}\n`);
  } catch (error) {
    write(`::warning::multiarch could not append the run summary to $GITHUB_STEP_SUMMARY (${(error as Error).message})\n`);
  }
}
