/**
 * What a run asks of the facts: the command line's selectors (a structural part of the CLI's
 * options, so facts/ never imports cli/) and the process it runs in.
 */
export interface FactsOptions {
  /** --config: the config file; else the nearest multiarch.config.* from cwd. */
  readonly config?: string;
  readonly images: readonly string[];
  readonly platforms: readonly string[];
  /** --force: every image (true) or these. */
  readonly force?: true | readonly string[];
  /** --since <git-ref>: only images whose inputs changed since then. */
  readonly since?: string;
  /** Plan from what this machine knows, without reading registries. */
  readonly offline?: true;
  /** apply --shard-out DIR: one platform's share, built into DIR. */
  readonly shardOut?: string;
  /** apply --merge DIR...: the shards to publish. */
  readonly merge?: readonly string[];
}

export interface FactsIo {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C. */
  readonly signal: AbortSignal;
}
