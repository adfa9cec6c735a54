/**
 * Which selected images need a Docker engine — built by it (an instruction only an engine carries
 * out, `build.engine: 'docker'`) or run on it (a test) — decided by the plan's own rule
 * (chooseBuildPath) from the Dockerfile facts; and from that whether a run needs a docker client
 * at all. A run that needs none starts no docker process (not even to probe it). Pure.
 */
import { isImageRef } from '../config/ref.js';
import type { ResolvedConfig } from '../config/resolved.js';
import { chooseBuildPath, type DockerfileFact } from './build-path.js';
import type { Plan } from './nodes.js';
import type { ResolvedSelection } from './selection.js';

/** The selection narrowed to the images that need an engine: built by Docker, or tested. */
export function engineSelection(config: ResolvedConfig, selection: ResolvedSelection, facts: Readonly<Record<string, DockerfileFact>>): ResolvedSelection {
  const images = new Set([...selection.images].filter((name) => {
    const image = config.images[name]!;
    return image.test !== undefined || chooseBuildPath(image, facts[name]).path === 'engine';
  }));
  return { ...selection, images };
}

/**
 * Whether some node of the plan runs on an engine. `shard`: a `--shard-out` run, where an image
 * built on a ref() base and that base both pass through the engine (its local tags; see
 * shard-plan.ts), whichever way they would be built otherwise.
 */
export function needsEngine(config: ResolvedConfig, selection: ResolvedSelection, facts: Readonly<Record<string, DockerfileFact>>, { shard }: { readonly shard: boolean }): boolean {
  if (engineSelection(config, selection, facts).images.size > 0) return true;
  return shard && [...selection.images].some((name) => Object.values(config.images[name]!.args).some(isImageRef));
}

/** Whether a plan already made (a saved one) has a node that runs on an engine: an engine build or a test. */
export function planNeedsEngine(plan: Pick<Plan, 'nodes'>): boolean {
  return Object.values(plan.nodes).some((n) => (n.kind === 'build' && !n.direct) || n.kind === 'test');
}
