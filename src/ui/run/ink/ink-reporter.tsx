/**
 * The TTY reporter: folds events into the view model and renders <RunView> with Ink. Mounts on
 * `run:start`, redraws at most every FRAME_MS (log lines can arrive by the thousand), and unmounts
 * after `run:end`, leaving the summary on screen. Shows "stopping…" as soon as the run's signal
 * is aborted (Ctrl-C).
 *
 * Resizing: when the terminal narrows it rewraps what is on screen, so the live frame no longer
 * occupies the rows Ink would erase and repainting in place leaves pieces of old frames behind.
 * So a resize erases the visible screen (never the scrollback) and mounts a fresh Ink app at the new
 * size, which prints the header and the finished images again (with --verbose only the last
 * screenful of log lines). The frame is fitted to the terminal's rows (fit-frame.ts), so Ink never
 * falls back to clearing the whole terminal.
 */
import { render, type Instance } from 'ink';
import type { ExecEvent } from '../../../exec/events.js';
import type { Reporter } from '../reporter-types.js';
import { initialState, markStopping, reduce, type ViewState } from '../state.js';
import { feedAdditions, type FeedItem } from './feed.js';
import { RunView } from './RunView.js';

export interface InkReporterOptions {
  readonly stdout: NodeJS.WriteStream;
  readonly verbose?: boolean;
  /** Default true: the CLI picks Ink only for terminals, and passes false for NO_COLOR. */
  readonly color?: boolean;
  /** For tests: the clock elapsed times are measured with. */
  readonly now?: () => number;
  /** Aborted on Ctrl-C: the view says it is stopping. */
  readonly signal?: AbortSignal;
}

/** Narrower than this, lines would wrap and garble the frame; the layout assumes at least this. */
export const MIN_WIDTH = 40;

const FRAME_MS = 50;
/**
 * Up to the top of the visible screen, then erase from there down: the frame (kept shorter than
 * the terminal) is gone however it rewrapped, and neither `ESC[2J` nor `ESC[3J` touches the
 * scrollback the user had before the run.
 */
const eraseVisible = (rows: number) => `\u001b[${Math.max(1, rows)}A\r\u001b[J`;

export function createInkReporter(options: InkReporterOptions): Reporter {
  const { stdout, verbose = false, color = true } = options;
  let state: ViewState = initialState;
  const feed: FeedItem[] = [];
  let instance: Instance | undefined;
  let exited: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let unmounted = false;
  /** Items ever added to the feed: keys stay unique when old log lines are dropped. */
  let added = 0;

  const frame = () => (
    <RunView
      view={state}
      feed={feed.slice()}
      verbose={verbose}
      color={color}
      width={Math.max(MIN_WIDTH, stdout.columns || 80)}
      {...(stdout.rows ? { rows: stdout.rows } : {})}
      {...(options.now ? { now: options.now } : {})}
    />
  );
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (instance && !unmounted) instance.rerender(frame());
  };
  const mount = () => {
    instance = render(frame(), { stdout, exitOnCtrlC: false, patchConsole: false });
    exited = instance.waitUntilExit();
  };
  const onResize = () => {
    if (!instance || unmounted) return;
    if (timer) clearTimeout(timer);
    timer = undefined;
    instance.unmount();
    // Log lines already shown need not all come back: a screenful is what one can see.
    const logs = feed.filter((item) => item.kind === 'log');
    const keep = new Set(logs.slice(-Math.max(10, stdout.rows || 24)));
    feed.splice(0, feed.length, ...feed.filter((item) => item.kind !== 'log' || keep.has(item)));
    stdout.write(eraseVisible(stdout.rows || 24));
    mount();
  };
  const onAbort = () => {
    state = markStopping(state);
    flush();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const finish = () => {
    options.signal?.removeEventListener('abort', onAbort);
    stdout.off('resize', onResize);
    if (!instance || unmounted) return;
    flush();
    unmounted = true;
    instance.unmount();
  };

  const sink = (event: ExecEvent) => {
    const next = reduce(state, event);
    const additions = feedAdditions(state, next, event, verbose, added);
    added += additions.length;
    feed.push(...additions);
    state = next;
    if (event.type === 'run:start') {
      if (instance) return;
      if (options.signal?.aborted) state = markStopping(state);
      // Registered before Ink's own listener, which then finds its app unmounted and does nothing.
      stdout.on('resize', onResize);
      mount();
      return;
    }
    if (event.type === 'run:end') return finish();
    timer ??= setTimeout(flush, FRAME_MS);
  };

  return {
    sink,
    done: async () => {
      finish();
      await exited;
    },
  };
}
