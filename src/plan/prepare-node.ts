/**
 * prepare(image, platform): the image's host-side step (cross-compiling with the host toolchain,
 * say) as a node before that platform's build. The plan cannot hold the function, so the node
 * records that it exists and a fingerprint of its source; apply takes the function from the loaded
 * config and refuses one whose source changed since the plan was made. Pure.
 */
import { formatPlatform, type Platform } from '../config/platform.js';
import type { PrepareSource } from '../config/prepare.js';
import type { ResolvedImage } from '../config/resolved.js';
import type { RunAction } from './run-action.js';

export interface PrepareNode {
  readonly id: string;
  readonly kind: 'prepare';
  readonly image: string;
  readonly deps: readonly string[];
  readonly platform: Platform;
  /** Absolute path: the step's working directory. */
  readonly context: string;
  readonly source: PrepareSource;
  /**
   * Globs (relative to `context`) of the files the step writes, as declared (`outputs`). Hook for
   * inputs digests (issue #4): what the step writes is a function of the context *without* these
   * files plus `source.hash` and the platform; after a run, the step's output lists the files and
   * their digests (PrepareOutput).
   */
  readonly outputs: readonly string[];
  readonly action: RunAction;
}

export const prepareNodeId = (image: string, p: Platform) => `prepare:${image}@${formatPlatform(p)}`;

export function prepareNode(image: ResolvedImage, platform: Platform): PrepareNode | undefined {
  if (!image.prepare) return undefined;
  return {
    id: prepareNodeId(image.name, platform),
    kind: 'prepare',
    image: image.name,
    deps: [],
    platform,
    context: image.context,
    source: image.prepare.source,
    outputs: image.prepare.outputs,
    action: { type: 'run' },
  };
}
