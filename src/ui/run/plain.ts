/**
 * The reporter for pipes and CI logs: one line per state change, each prefixed with a timestamp
 * and the node's label (`12:00:03 web linux/arm64 build  started`). Progress messages appear once
 * each; process output only with `verbose`, except that a failed node's buffered output is printed
 * when it fails. Ends with the summary table.
 */
import type { ExecEvent, NodeResultInfo } from '../../exec/events.js';
import { formatError } from '../../errors/format-error.js';
import { createStyle } from '../color.js';
import { dispatch, type EventTable } from './event-table.js';
import { formatClock, formatDuration, shortDigest } from '../format.js';
import type { Reporter, WriteFn } from './reporter-types.js';
import { initialState, reduce, runningNodes, type ViewState } from './state.js';
import { formatSummary, reasonText, stoppingText } from './summary.js';

export interface PlainReporterOptions {
  readonly write: WriteFn;
  readonly verbose?: boolean;
  readonly color?: boolean;
  /** Columns for the summary table; default 80. */
  readonly width?: number;
  /** Default: local `HH:MM:SS`. */
  readonly formatTime?: (at: number) => string;
  /** Aborted on Ctrl-C: one line says the run is stopping. */
  readonly signal?: AbortSignal;
  /** The clock for that line; default Date.now. */
  readonly now?: () => number;
}

/** A failing node's output kept for printing; older lines beyond this are dropped and counted. */
export const MAX_BUFFERED_LINES = 2000;

export function createPlainReporter(options: PlainReporterOptions): Reporter {
  const { write, verbose = false } = options;
  const style = createStyle(options.color ?? false);
  const time = options.formatTime ?? formatClock;
  let state: ViewState = initialState;
  const buffers = new Map<string, { lines: string[]; dropped: number }>();
  const seenProgress = new Map<string, Set<string>>();

  const line = (at: number, who: string, text: string) => `${style.dim(time(at))} ${who}  ${text}\n`;
  const labelOf = (id: string) => state.nodes[id]?.label ?? id;

  const table: EventTable<string> = {
    'run:start': (e) => line(e.at, style.bold('multiarch'), `running ${e.nodes.length} nodes from ${e.configFile}`),
    'node:start': (e) => line(e.at, labelOf(e.id), 'started'),
    'node:progress': (e) => {
      const seen = seenProgress.get(e.id) ?? new Set<string>();
      seenProgress.set(e.id, seen);
      if (seen.has(e.message)) return '';
      seen.add(e.message);
      return line(e.at, labelOf(e.id), style.dim(e.message));
    },
    'node:output': (e) => {
      // Buffered with --verbose too: a failure's error details are not repeated when already shown.
      const buffer = buffers.get(e.id) ?? { lines: [], dropped: 0 };
      buffers.set(e.id, buffer);
      buffer.lines.push(e.line);
      if (buffer.lines.length > MAX_BUFFERED_LINES) {
        buffer.lines.shift();
        buffer.dropped += 1;
      }
      return verbose ? line(e.at, labelOf(e.id), `${style.dim('│')} ${e.line}`) : '';
    },
    'node:end': (e) => {
      const buffer = buffers.get(e.id);
      buffers.delete(e.id);
      seenProgress.delete(e.id);
      const took = formatDuration(e.durationMs);
      const who = labelOf(e.id);
      switch (e.status) {
        case 'succeeded':
          return line(e.at, who, `${style.green('succeeded')} in ${took}${resultNote(e.result)}`);
        case 'cached':
          return line(e.at, who, `${style.green('cached')} in ${took}${resultNote(e.result)}`);
        case 'skipped':
          return line(e.at, who, `${style.yellow('skipped')} — ${reasonText(e, byId(state))}`);
        case 'canceled':
          return line(e.at, who, `${style.yellow('canceled')}${e.reason ? ` — ${reasonText(e, byId(state))}` : ` after ${took}`}`);
        case 'failed': {
          const out = [line(e.at, who, `${style.red('failed')} after ${took}`)];
          if (!verbose) {
            if (buffer?.dropped) out.push(`  ${style.dim(`│ … ${buffer.dropped} earlier lines not kept`)}\n`);
            for (const l of buffer?.lines ?? []) out.push(`  ${style.dim('│')} ${l}\n`);
          }
          if (e.error) {
            // Details are usually the process's last lines, which were just printed.
            const printed = new Set(buffer?.lines ?? []);
            const details = (e.error.details ?? []).filter((d) => !printed.has(d));
            const error = { ...e.error, details };
            out.push(...formatError(error, { color: style.enabled }).split('\n').map((l) => `  ${l}\n`));
          }
          return out.join('');
        }
      }
    },
    'run:end': (e) => `\n${formatSummary(e.summary, { color: style.enabled, width: options.width ?? 80 })}\n`,
  };

  const onAbort = () => {
    if (state.summary) return;
    const running = runningNodes(state).length;
    write(line((options.now ?? Date.now)(), style.bold('multiarch'), style.yellow(stoppingText(running).replace(/^■ /, ''))));
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const sink = (event: ExecEvent) => {
    // Render with the state before the event (labels exist from run:start on), then fold it in.
    if (event.type === 'run:start') state = reduce(state, event);
    const text = dispatch(table, event);
    if (event.type !== 'run:start') state = reduce(state, event);
    if (text) write(text);
  };
  return {
    sink,
    done: () => {
      options.signal?.removeEventListener('abort', onAbort);
      return Promise.resolve();
    },
  };
}

function resultNote(result: NodeResultInfo | undefined): string {
  if (!result) return '';
  if (result.summary) return ` — ${result.summary}`;
  if (result.digest) return ` — ${shortDigest(result.digest)}`;
  return '';
}

function byId(state: ViewState): Map<string, { label: string; status: string }> {
  return new Map(Object.values(state.nodes).map((n) => [n.id, { label: n.label, status: n.cell.state }]));
}
