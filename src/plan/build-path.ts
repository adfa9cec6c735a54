/**
 * Which way each image is made: assembled directly (no engine: base from its registry, layers
 * written by multiarch, blobs pushed straight to the targets) when its Dockerfile runs nothing,
 * else built by Docker; `build.engine` forces either, and `direct` on a Dockerfile that needs an
 * engine is a plan error naming the instruction and its line. Pure.
 */
import type { ResolvedImage } from '../config/resolved.js';
import { MultiarchError } from '../errors/multiarch-error.js';

/** What the shell read of an image's Dockerfile: can multiarch carry it out, and if not, why. */
export type DockerfileFact =
  | { readonly direct: true }
  | { readonly direct: false; readonly instruction: string; readonly line: number; readonly why: string };

export type BuildPath =
  | { readonly path: 'direct' }
  /** `reason`: the instruction that needs an engine, or the config's choice (absent: not known). */
  | { readonly path: 'engine'; readonly reason?: string };

/**
 * The builder a direct build's inputs name: assembly follows BuildKit's rules as buildx applies
 * them (its .dockerignore rules, only the stages the target needs), whatever docker the machine
 * has or lacks — so a direct build's inputs are the same on every machine, and the same as a
 * buildx machine recorded before assembly stopped asking docker.
 */
export const DIRECT_BUILDER_KIND = 'buildx';

/** The builder kind a build's inputs follow: direct assembly's for a direct build, else the engine's. */
export function inputsBuilderKind<K extends string>(node: { readonly direct?: object }, engineKind: K): K | typeof DIRECT_BUILDER_KIND {
  return node.direct ? DIRECT_BUILDER_KIND : engineKind;
}

export function chooseBuildPath(image: ResolvedImage, fact: DockerfileFact | undefined): BuildPath {
  if (image.engine === 'docker') return { path: 'engine', reason: "build.engine is 'docker'" };
  if (!fact) return { path: 'engine' };
  // A test runs the image in a container: the engine that runs it builds it too.
  if (fact.direct && image.test && image.engine !== 'direct') return { path: 'engine', reason: 'its test runs the image on an engine' };
  if (fact.direct) return { path: 'direct' };
  return { path: 'engine', reason: `${fact.instruction} (line ${fact.line}) ${fact.why}` };
}

/** Every image with `engine: 'direct'` whose Dockerfile needs an engine, all at once. */
export function checkDirectImages(images: readonly ResolvedImage[], facts: Readonly<Record<string, DockerfileFact>> | undefined, configFile: string): void {
  const problems = images.flatMap((image) => {
    const fact = facts?.[image.name];
    if (image.engine !== 'direct' || !fact) return [];
    if (fact.direct && image.test) return [`images.${image.name}.build.engine is 'direct', but its test runs the image in a container, which needs an engine`];
    if (fact.direct) return [];
    return [`images.${image.name}.build.engine is 'direct', but ${image.dockerfile}:${fact.line}: ${fact.instruction} ${fact.why} — that needs an engine`];
  });
  if (problems.length === 0) return;
  throw new MultiarchError('E_CONFIG_INVALID', `${configFile}: ${problems.length === 1 ? 'an image cannot' : `${problems.length} images cannot`} be assembled without an engine`, {
    details: problems,
    hint: "remove the instruction, or set build: { engine: 'auto' } (the default) to let Docker build it",
  });
}

/** `SOURCE_DATE_EPOCH` semantics: the commit's time (or the variable's), else 1970. */
export function buildEpoch(created: string | undefined): number {
  const ms = created ? Date.parse(created) : Number.NaN;
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : 0;
}
