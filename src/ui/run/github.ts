/**
 * The plain reporter as GitHub Actions wants it (`GITHUB_ACTIONS=true`): the same timestamped line
 * per state change, and in addition
 * - each node's output in a collapsed `::group::` right after the line saying how it ended (a
 *   failed node's output stays in full, ungrouped, as the plain reporter prints it);
 * - an `::error` annotation per failed node, with `file=` and `line=` pointing at the Dockerfile
 *   instruction when a build step failed, so it shows on the pull request's diff;
 * - the run summary as Markdown, handed to `appendStepSummary` (the `$GITHUB_STEP_SUMMARY` file).
 * Process output is untrusted: it is wrapped in `::stop-commands::` so that a line starting with
 * `::` cannot act as a workflow command. Pure apart from the functions it is given.
 */
import path from 'node:path';
import type { ExecEvent, NodeEndEvent } from '../../exec/events.js';
import { createPlainReporter, MAX_BUFFERED_LINES, type PlainReporterOptions } from './plain.js';
import type { Reporter } from './reporter-types.js';
import { formatSummaryMarkdown } from './summary-markdown.js';

export interface GithubReporterOptions extends Omit<PlainReporterOptions, 'verbose'> {
  /** `$GITHUB_WORKSPACE`: annotation paths are relative to it. */
  readonly workspace?: string;
  /** Appends Markdown to `$GITHUB_STEP_SUMMARY`; absent when there is no such file. */
  readonly appendStepSummary?: (markdown: string) => void;
  /** A fresh random token per run for `::stop-commands::`. */
  readonly stopToken: string;
}

export function createGithubReporter(options: GithubReporterOptions): Reporter {
  const { write, stopToken } = options;
  const plain = createPlainReporter({ ...options, verbose: false });
  const logs = new Map<string, string[]>();
  const labels = new Map<string, string>();

  const untrusted = (lines: readonly string[]) => [`::stop-commands::${stopToken}`, ...lines, `::${stopToken}::`];

  const afterEnd = (e: NodeEndEvent): string[] => {
    const lines = logs.get(e.id) ?? [];
    logs.delete(e.id);
    const label = labels.get(e.id) ?? e.id;
    if (e.status === 'failed') return [annotation(label, e, options.workspace)];
    if (lines.length === 0) return [];
    return [`::group::${escapeData(`${label} — ${e.status}, ${lines.length} log line${lines.length === 1 ? '' : 's'}`)}`, ...untrusted(lines), '::endgroup::'];
  };

  const sink = (event: ExecEvent) => {
    if (event.type === 'run:start') for (const n of event.nodes) labels.set(n.id, n.label);
    if (event.type === 'node:output') {
      const lines = logs.get(event.id) ?? [];
      logs.set(event.id, lines);
      lines.push(event.line);
      if (lines.length > MAX_BUFFERED_LINES) lines.shift();
    }
    // The plain reporter prints a failed node's output: keep it from acting as commands too.
    const failing = event.type === 'node:end' && event.status === 'failed';
    if (failing) write(`::stop-commands::${stopToken}\n`);
    plain.sink(event);
    if (failing) write(`::${stopToken}::\n`);
    if (event.type === 'node:end') {
      const extra = afterEnd(event);
      if (extra.length > 0) write(`${extra.join('\n')}\n`);
    }
    if (event.type === 'run:end') options.appendStepSummary?.(formatSummaryMarkdown(event.summary));
  };
  return { sink, done: () => plain.done() };
}

/** `::error file=app/Dockerfile,line=7,title=web linux/arm64 build failed::message` */
export function annotation(label: string, event: Pick<NodeEndEvent, 'error'>, workspace?: string): string {
  const error = event.error;
  const props: string[] = [];
  if (error?.location) {
    const file = workspace && isInside(workspace, error.location.file) ? path.relative(workspace, error.location.file) : error.location.file;
    props.push(`file=${escapeProperty(file.split(path.sep).join('/'))}`, `line=${error.location.line}`);
  }
  props.push(`title=${escapeProperty(`${label} failed`)}`);
  const message = [error ? `${error.message} [${error.code}]` : 'failed', ...(error?.hint ? [`hint: ${error.hint}`] : [])].join('\n');
  return `::error ${props.join(',')}::${escapeData(message)}`;
}

function isInside(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** Workflow command data: `%`, CR and LF encoded (as @actions/core does). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Workflow command properties: also `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
