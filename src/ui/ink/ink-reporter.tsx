/**
 * The TTY reporter: folds events into the view model and renders <RunView> with Ink. Mounts on
 * `run:start`, redraws at most every FRAME_MS (log lines can arrive by the thousand), and unmounts
 * after `run:end`, leaving the summary on screen. It redraws at once at the new width when the
 * terminal is resized (before Ink repaints, so Ink never paints a frame wider than the terminal),
 * and shows "stopping…" as soon as the run's signal is aborted (Ctrl-C).
 */
import { render, type Instance } from 'ink';
import type { ExecEvent } from '../../exec/events.js';
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

export function createInkReporter(options: InkReporterOptions): Reporter {
  const { stdout, verbose = false, color = true } = options;
  let state: ViewState = initialState;
  const feed: FeedItem[] = [];
  let instance: Instance | undefined;
  let exited: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let unmounted = false;

  const frame = () => (
    <RunView
      view={state}
      feed={feed.slice()}
      verbose={verbose}
      color={color}
      width={Math.max(MIN_WIDTH, stdout.columns || 80)}
      {...(options.now ? { now: options.now } : {})}
    />
  );
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (instance && !unmounted) instance.rerender(frame());
  };
  const onResize = () => flush();
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
    feed.push(...feedAdditions(state, next, event, verbose, feed.length));
    state = next;
    if (event.type === 'run:start') {
      if (instance) return;
      if (options.signal?.aborted) state = markStopping(state);
      // Registered before Ink's own listener: the tree has the new width by the time Ink repaints.
      stdout.on('resize', onResize);
      instance = render(frame(), { stdout, exitOnCtrlC: false, patchConsole: false });
      exited = instance.waitUntilExit();
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
