/** A failure as plain data: what events, summaries and saved records carry across the exec/ui line. */
export interface SerializedError {
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
  /** The last lines the failing process printed, already redacted. */
  readonly details?: readonly string[];
  /** Where in the user's files it failed, when known: the Dockerfile line of a failed build step. */
  readonly location?: SourceLocation;
}

export interface SourceLocation {
  /** Absolute path. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
}
