/**
 * The run as the reporters see it: `reduce(state, event)` folds executor events into a view model —
 * images in plan order, per image its platforms with a cell per stage (build, test, one push per
 * target) and its index rows, the recent log lines of nodes that failed, and the final summary.
 * Pure: no clock, no I/O; components only render what is here.
 */
import type { ExecEvent, NodeResultInfo, ProgressUnit, RunSummary, SerializedError } from '../../exec/events.js';
import type { NodeKind } from '../../plan/nodes.js';
import { dispatch, type EventTable } from './event-table.js';

/** Log lines kept per node (only failed nodes keep theirs once they end). */
export const LOG_TAIL = 20;

export type CellView =
  | { readonly state: 'waiting' }
  | { readonly state: 'running'; readonly startedAt: number; readonly message?: string; readonly progress?: ProgressView }
  | { readonly state: 'succeeded' | 'cached' | 'failed'; readonly durationMs: number }
  | { readonly state: 'skipped' | 'canceled'; readonly reason?: string };

export type CellState = CellView['state'];

/** How far a running step is, when it says: `[3/7]` steps, blobs, or bytes sent of a push. */
export interface ProgressView {
  readonly current: number;
  readonly total: number;
  readonly unit?: ProgressUnit;
}

export interface NodeView {
  readonly id: string;
  readonly kind: NodeKind;
  readonly image: string;
  readonly label: string;
  readonly deps: readonly string[];
  /** Builds, tests and pushes: `linux/arm64`. */
  readonly platform?: string;
  /** Pushes and indexes: the registry's name in the config. */
  readonly target?: string;
  /** Indexes: the image tag. */
  readonly tag?: string;
  readonly cell: CellView;
  readonly result?: NodeResultInfo;
  readonly error?: SerializedError;
}

export interface PlatformRow {
  readonly platform: string;
  readonly prepare?: string;
  readonly build?: string;
  readonly test?: string;
  readonly scan?: string;
  readonly pushes: ReadonlyArray<{ readonly target: string; readonly id: string }>;
}

export interface ImageView {
  readonly name: string;
  readonly platforms: readonly PlatformRow[];
  /** Push targets in plan order: the grid's push rows. */
  readonly targets: readonly string[];
  readonly indexes: ReadonlyArray<{ readonly tag: string; readonly target: string; readonly id: string }>;
  readonly nodeIds: readonly string[];
}

export interface ViewState {
  readonly configFile?: string;
  readonly startedAt?: number;
  readonly endedAt?: number;
  readonly images: readonly ImageView[];
  readonly nodes: Readonly<Record<string, NodeView>>;
  /** Last LOG_TAIL lines of running nodes and of nodes that failed. */
  readonly logs: Readonly<Record<string, readonly string[]>>;
  /** Failed node ids in the order they failed. */
  readonly failed: readonly string[];
  /** Image names in the order every node of theirs finished. */
  readonly finished: readonly string[];
  readonly summary?: RunSummary;
  /** Ctrl-C was pressed: nothing new starts, running steps are being canceled. */
  readonly stopping?: boolean;
}

export const initialState: ViewState = { images: [], nodes: {}, logs: {}, failed: [], finished: [] };

export function reduce(state: ViewState, event: ExecEvent): ViewState {
  return dispatch(reducers, event, state);
}

export function isFinalCell(cell: CellView): boolean {
  return cell.state !== 'waiting' && cell.state !== 'running';
}

export function isImageFinished(state: ViewState, image: ImageView): boolean {
  return image.nodeIds.every((id) => {
    const node = state.nodes[id];
    return node !== undefined && isFinalCell(node.cell);
  });
}

/** Running nodes, in plan order. */
export function runningNodes(state: ViewState, image?: ImageView): NodeView[] {
  const ids = image ? image.nodeIds : state.images.flatMap((i) => i.nodeIds);
  return ids.map((id) => state.nodes[id]!).filter((n) => n.cell.state === 'running');
}

const reducers: EventTable<ViewState, [ViewState]> = {
  'run:start': (_state, event) => {
    const nodes: Record<string, NodeView> = {};
    for (const n of event.nodes) {
      nodes[n.id] = { id: n.id, kind: n.kind, image: n.image, label: n.label, deps: n.deps, ...parseNodeId(n.kind, n.image, n.id), cell: { state: 'waiting' } };
    }
    return { ...initialState, configFile: event.configFile, startedAt: event.at, nodes, images: buildImages(Object.values(nodes)) };
  },
  'node:start': (state, event) => updateNode(state, event.id, () => ({ cell: { state: 'running', startedAt: event.at } })),
  'node:progress': (state, event) =>
    updateNode(state, event.id, (node) => {
      if (node.cell.state !== 'running') return {};
      const { progress: _old, ...cell } = node.cell;
      const progress =
        event.current !== undefined && event.total !== undefined && event.total > 0
          ? { progress: { current: event.current, total: event.total, ...(event.unit ? { unit: event.unit } : {}) } }
          : {};
      return { cell: { ...cell, message: event.message, ...progress } };
    }),
  'node:output': (state, event) => {
    if (!state.nodes[event.id]) return state;
    const lines = [...(state.logs[event.id] ?? []), event.line].slice(-LOG_TAIL);
    return { ...state, logs: { ...state.logs, [event.id]: lines } };
  },
  'node:end': (state, event) => {
    if (!state.nodes[event.id]) return state;
    const cell: CellView =
      event.status === 'skipped' || event.status === 'canceled'
        ? { state: event.status, ...(event.reason ? { reason: event.reason } : {}) }
        : { state: event.status, durationMs: event.durationMs };
    let next = updateNode(state, event.id, () => ({
      cell,
      ...(event.result ? { result: event.result } : {}),
      ...(event.error ? { error: event.error } : {}),
    }));
    if (event.status === 'failed') {
      next = { ...next, failed: [...next.failed, event.id] };
    } else if (next.logs[event.id]) {
      const { [event.id]: _dropped, ...logs } = next.logs;
      next = { ...next, logs };
    }
    const image = next.images.find((i) => i.name === next.nodes[event.id]!.image);
    if (image && !next.finished.includes(image.name) && isImageFinished(next, image)) {
      next = { ...next, finished: [...next.finished, image.name] };
    }
    return next;
  },
  'run:end': (state, event) => ({ ...state, endedAt: event.at, summary: event.summary }),
};

/** The user interrupted the run (not an executor event: the CLI's signal says so). */
export function markStopping(state: ViewState): ViewState {
  return state.stopping ? state : { ...state, stopping: true };
}

function updateNode(state: ViewState, id: string, change: (node: NodeView) => Partial<NodeView>): ViewState {
  const node = state.nodes[id];
  if (!node) return state;
  return { ...state, nodes: { ...state.nodes, [id]: { ...node, ...change(node) } } };
}

function buildImages(nodes: readonly NodeView[]): ImageView[] {
  const images = new Map<string, { platforms: Map<string, { prepare?: string; build?: string; test?: string; scan?: string; pushes: Array<{ target: string; id: string }> }>; targets: string[]; indexes: ImageView['indexes'][number][]; nodeIds: string[] }>();
  for (const node of nodes) {
    let image = images.get(node.image);
    if (!image) {
      image = { platforms: new Map(), targets: [], indexes: [], nodeIds: [] };
      images.set(node.image, image);
    }
    image.nodeIds.push(node.id);
    if (node.kind === 'index') {
      image.indexes.push({ tag: node.tag ?? '', target: node.target ?? '', id: node.id });
      continue;
    }
    const key = node.platform ?? '';
    const row = image.platforms.get(key) ?? { pushes: [] };
    image.platforms.set(key, row);
    if (node.kind === 'prepare') row.prepare = node.id;
    else if (node.kind === 'build') row.build = node.id;
    else if (node.kind === 'test') row.test = node.id;
    else if (node.kind === 'scan') row.scan = node.id;
    else {
      row.pushes.push({ target: node.target ?? '', id: node.id });
      if (!image.targets.includes(node.target ?? '')) image.targets.push(node.target ?? '');
    }
  }
  return [...images].map(([name, i]) => ({
    name,
    platforms: [...i.platforms].map(([platform, row]) => ({ platform, ...row })),
    targets: i.targets,
    indexes: i.indexes,
    nodeIds: i.nodeIds,
  }));
}

/**
 * Node ids are stable and readable (`build:web@linux/arm64`, `push:web@linux/arm64->local`,
 * `index:web:v1->local`); the grid needs their platform, target and tag back.
 */
export function parseNodeId(kind: NodeKind, image: string, id: string): { platform?: string; target?: string; tag?: string } {
  const rest = id.startsWith(`${kind}:${image}`) ? id.slice(kind.length + image.length + 2) : id;
  const arrow = rest.indexOf('->');
  switch (kind) {
    case 'prepare':
    case 'build':
    case 'test':
    case 'scan':
      return { platform: rest };
    case 'push':
      return arrow < 0 ? { platform: rest } : { platform: rest.slice(0, arrow), target: rest.slice(arrow + 2) };
    case 'index':
      return arrow < 0 ? { tag: rest } : { tag: rest.slice(0, arrow), target: rest.slice(arrow + 2) };
  }
}
