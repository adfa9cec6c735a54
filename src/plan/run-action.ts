/** What apply does with a prepare, test or scan node (see nodes.ts for the other kinds). Pure. */
/** A step that does its work (`run`), or does nothing because what it would make is current. */
export type RunAction = { readonly type: 'run' } | { readonly type: 'skip'; readonly why: string };
