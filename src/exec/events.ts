/**
 * The only contract between the executor and the reporters (Ink, plain, JSON). A discriminated
 * union: reporters handle it through exhaustive tables, so a new event type does not compile until
 * every reporter knows it. Events are plain JSON (they are the `--json` stream).
 */
import type { WrittenRecord } from '../plan/incremental/types.js';
import type { NodeKind } from '../plan/nodes.js';

export type NodeStatus = 'succeeded' | 'failed' | 'skipped' | 'cached' | 'canceled';

export type { SerializedError, SourceLocation } from '../errors/serialized-error.js';
import type { SerializedError } from '../errors/serialized-error.js';

/** What a finished node produced, for summaries: refs written and their digests. */
export interface NodeResultInfo {
  readonly summary?: string;
  readonly refs?: readonly string[];
  readonly digest?: string;
  readonly imageId?: string;
  readonly output?: string;
  /** Builds: Dockerfile steps (FROM aside) and how many came from a cache. */
  readonly cacheSteps?: { readonly total: number; readonly cached: number };
  /** Builds: the cache source tried first, `ref@digest`, when there was one. */
  readonly cacheFrom?: string;
  /** Builds: cache sources that could not be read (the build ran without them). */
  readonly cacheProblems?: readonly string[];
  /** Push and index nodes: the ECR repositories (`host/repository`) this node created before writing. */
  readonly repositoriesCreated?: readonly string[];
  /** What the node wrote (tags, and what the images record), for the summary and the state store. */
  readonly written?: WrittenRecord;
}

export interface RunStartEvent {
  readonly type: 'run:start';
  readonly at: number;
  readonly configFile: string;
  readonly nodes: ReadonlyArray<{ readonly id: string; readonly kind: NodeKind; readonly image: string; readonly label: string; readonly deps: readonly string[] }>;
}
export interface NodeStartEvent {
  readonly type: 'node:start';
  readonly at: number;
  readonly id: string;
}
export interface NodeProgressEvent {
  readonly type: 'node:progress';
  readonly at: number;
  readonly id: string;
  /** `[3/7] RUN npm ci`, `team/web: blob 2/3`, `waiting for :80` */
  readonly message: string;
  readonly current?: number;
  readonly total?: number;
  /** What `current`/`total` count: Dockerfile steps (builds) or bytes (pushes). */
  readonly unit?: ProgressUnit;
}

export type ProgressUnit = 'steps' | 'bytes';
export interface NodeOutputEvent {
  readonly type: 'node:output';
  readonly at: number;
  readonly id: string;
  readonly stream: 'stdout' | 'stderr';
  readonly line: string;
}
export interface NodeEndEvent {
  readonly type: 'node:end';
  readonly at: number;
  readonly id: string;
  readonly status: NodeStatus;
  readonly durationMs: number;
  readonly result?: NodeResultInfo;
  readonly error?: SerializedError;
  /** Why a node was skipped or canceled: the node it waited for. */
  readonly reason?: string;
}
export interface RunEndEvent {
  readonly type: 'run:end';
  readonly at: number;
  readonly summary: RunSummary;
}

export type ExecEvent = RunStartEvent | NodeStartEvent | NodeProgressEvent | NodeOutputEvent | NodeEndEvent | RunEndEvent;

export type ExecEventType = ExecEvent['type'];

export interface NodeSummary {
  readonly id: string;
  readonly kind: NodeKind;
  readonly image: string;
  readonly label: string;
  readonly status: NodeStatus;
  readonly durationMs: number;
  readonly result?: NodeResultInfo;
  readonly error?: SerializedError;
  readonly reason?: string;
  /**
   * Cached nodes only: how much shorter this run was than the node's last recorded real run
   * (`previous durationMs - this durationMs`, at least 0). Absent when no earlier run is recorded.
   */
  readonly savedMs?: number;
}

export interface RunSummary {
  readonly status: 'succeeded' | 'failed' | 'canceled';
  readonly durationMs: number;
  readonly nodes: readonly NodeSummary[];
  /** Every ref written, with the digest it now holds. */
  readonly published: ReadonlyArray<{
    readonly ref: string;
    readonly digest: string;
    readonly kind: 'platform' | 'index';
    /** Written, but the step stopped before it was read back and verified. */
    readonly interrupted?: true;
  }>;
  /** The sum of the nodes' `savedMs`; present when some node was cached. */
  readonly savedMs?: number;
}

/** A reporter: receives every event, in order. */
export type EventSink = (event: ExecEvent) => void;
