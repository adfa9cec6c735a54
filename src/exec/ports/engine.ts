/**
 * The engine port: what the steps ask of whatever holds the images they build — build one
 * platform's image (progress as events), run a command in it, start it as a server and check it
 * over HTTP, and export it (as registry-ready content, or as an archive for a scanner). The executor knows nothing else of an engine;
 * `docker/docker-engine.ts` implements it on the Docker CLI and `cli/` hands it in. Types only.
 */
import type { BuildIo, BuildSpec, BuiltImage } from './builder.js';
import type { Platform } from '../../config/platform.js';
import type { ExportedImage } from '../../image/export-image.js';
import type { HeldLayer } from '../../image/held-layers.js';

export interface CommandRun {
  readonly exitCode: number;
  /** stdout, then stderr. */
  readonly output: string;
}

export interface ServerCheck {
  /** The container port the server listens on. */
  readonly port: number;
  readonly path: string;
  readonly expectStatus: number;
  readonly timeoutMs: number;
}

export interface ServerIo {
  readonly signal: AbortSignal;
  readonly onLine: (line: string) => void;
  readonly onProgress: (message: string) => void;
  /** Takes the container's removal instead of waiting for it (the run settles it before it ends). */
  readonly removeLater?: (removal: Promise<void>) => void;
}

export interface Engine {
  build(spec: BuildSpec, io: BuildIo): Promise<BuiltImage>;
  /** Runs `command` in the image on its platform (emulated when foreign) until it exits. */
  runCommand(image: string, platform: Platform, command: readonly string[], io: { readonly signal: AbortSignal; readonly timeoutMs: number; readonly onLine: (line: string) => void }): Promise<CommandRun>;
  /** Starts the image as a server, waits for `check` to answer as expected, then removes it. */
  checkServer(image: string, platform: Platform, check: ServerCheck, io: ServerIo): Promise<{ readonly status: number; readonly body: string }>;
  /**
   * The image's config and layers into the run's blob store (layers gzip'd, checked against the
   * config's diff ids): what publishing sends, and what scanners and SBOMs read as an archive.
   * A layer in `held` (a registry holds it compressed: its base's) is checked, not stored.
   */
  exportImage(imageId: string, signal: AbortSignal, held?: readonly HeldLayer[]): Promise<ExportedImage>;
  /** The image as a `docker save`-format archive in `file` (what scanners read), straight from the engine. */
  saveArchive(imageId: string, file: string, signal: AbortSignal): Promise<void>;
}

/** The engine of each builder the plan uses; throws E_BUILDER_UNREACHABLE for one that was down. */
export interface Engines {
  get(builder: string): Engine;
}
