/**
 * The builder port (exec/ owns it, docker/ implements it): what the build step needs from whatever turns a context into an image for
 * one platform. The only implementation today is the local Docker engine (src/docker/), driven
 * through buildx, classic BuildKit or the legacy builder, whichever the machine offers.
 */
import type { Platform } from '../../config/platform.js';
import type { CacheSourceSpec, CacheTargetSpec } from '../../config/cache-spec.js';
import type { SecretSource, SshSource } from '../../config/resolved.js';

import type { BuilderKind } from '../../plan/nodes.js';

export type { BuilderKind };

export interface BuildSpec {
  readonly context: string;
  readonly dockerfile: string;
  readonly platform: Platform;
  readonly args: Readonly<Record<string, string>>;
  readonly target?: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Local tag for the result. */
  readonly tag: string;
  /** Layer cache to read and write; the builder kind's capabilities were checked by the planner. */
  readonly cache?: { readonly from: readonly CacheSourceSpec[]; readonly to: readonly CacheTargetSpec[] };
  /** BuildKit secrets by id: an env var name or a file path (the builder reads the value). */
  readonly secrets?: Readonly<Record<string, SecretSource>>;
  /** SSH agents by id; no socket: SSH_AUTH_SOCK. */
  readonly ssh?: Readonly<Record<string, SshSource>>;
  /** Context-relative paths the engine is not sent, on top of the user's ignore file. */
  readonly ignore?: readonly string[];
}

export interface BuildIo {
  readonly signal: AbortSignal;
  readonly onLine: (line: string) => void;
  readonly onStep: (step: BuildStep) => void;
}

/** A Dockerfile step as the builder reports it: `[3/7] RUN npm ci`. */
export interface BuildStep {
  readonly current?: number;
  readonly total?: number;
  readonly text: string;
}

export interface BuiltImage {
  /** The engine's image id: the sha256 of the image config. */
  readonly imageId: string;
  /** The builder served every step from its cache: the image was there already. */
  readonly cached?: boolean;
  /** Dockerfile steps (FROM aside) it ran or took from a cache, and how many came from a cache. */
  readonly steps?: { readonly total: number; readonly cached: number };
  /** Cache sources the builder could not read (missing, 401/403, …): the build ran without them. */
  readonly cacheProblems?: readonly string[];
  /** The image's layers' diff ids, bottom first, when the engine told them. */
  readonly diffIds?: readonly string[];
}

export interface Builder {
  readonly kind: BuilderKind;
  /** `docker 20.10.24 (/usr/bin/docker), BuildKit via DOCKER_BUILDKIT=1` */
  readonly description: string;
  /** Whether builds may run at the same time without confusing each other. */
  readonly parallelSafe: boolean;
  build(spec: BuildSpec, io: BuildIo): Promise<BuiltImage>;
}
