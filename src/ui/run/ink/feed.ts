/**
 * What goes into Ink's `<Static>`: an append-only list (Static prints each item once, in order) of
 * the header, images as they finish, and with `--verbose` every log line. Pure.
 */
import type { ExecEvent } from '../../../exec/events.js';
import type { ViewState } from '../state.js';

export type FeedItem =
  | { readonly kind: 'header'; readonly key: string }
  | { readonly kind: 'image'; readonly key: string; readonly image: string }
  | { readonly kind: 'log'; readonly key: string; readonly id: string; readonly line: string }
  /** The summary, in a terminal short of rows: printed once, it never makes the frame taller. */
  | { readonly kind: 'summary'; readonly key: string };

/** The feed of a view without log lines: header, then finished images. */
export function feedOf(view: ViewState): FeedItem[] {
  if (view.startedAt === undefined) return [];
  return [{ kind: 'header', key: 'header' }, ...view.finished.map((image) => imageItem(image))];
}

/**
 * What `event` (already folded from `before` into `after`) appends to a feed that has had `length`
 * items added so far (log items are keyed by it).
 * The caller appends in place and hands Ink a copy per frame (not per event: logs can be long).
 */
export function feedAdditions(before: ViewState, after: ViewState, event: ExecEvent, verbose: boolean, length: number): FeedItem[] {
  if (event.type === 'run:start') return feedOf(after);
  const added: FeedItem[] = after.finished.slice(before.finished.length).map((image) => imageItem(image));
  if (verbose && event.type === 'node:output' && after.nodes[event.id]) {
    added.push({ kind: 'log', key: `log:${length}`, id: event.id, line: event.line });
  }
  return added;
}

function imageItem(image: string): FeedItem {
  return { kind: 'image', key: `image:${image}`, image };
}
