/**
 * What an image's `prepare` step receives: the types of the config DSL for host-side steps (e.g.
 * cross-compiling with the host toolchain before the build COPYs the result). Types only; the
 * runner that builds the context is src/sys/zx-shell.ts.
 */
import type { Shell } from 'zx';

/** The platform being prepared, in the names toolchains use. */
export interface PreparePlatform {
  /** `linux` */
  readonly os: string;
  /** `arm64`, `amd64`, `arm`: as GOARCH spells it. */
  readonly arch: string;
  /** `v7` for linux/arm/v7, `''` when the platform has none. */
  readonly variant: string;
  /** `linux/arm64`, `linux/arm/v7` */
  readonly platform: string;
}

export interface PrepareContext {
  /**
   * zx's `$`: runs in the image's context directory, its output goes to this node's log, and it is
   * killed (with everything it started) when the run is canceled. Throws on a non-zero exit.
   */
  readonly $: Shell;
  readonly platform: PreparePlatform;
  /** Absolute path of the image's build context: the `$`'s working directory. */
  readonly context: string;
  /** Aborted when the run is canceled. */
  readonly signal: AbortSignal;
  /** A line in this node's log. */
  readonly log: (line: string) => void;
}

export type PrepareFn = (context: PrepareContext) => void | Promise<void>;
