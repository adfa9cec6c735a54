/**
 * Which way each image is made: assembled directly (no engine: base from its registry, layers
 * written by multiarch, blobs pushed straight to the targets) when its Dockerfile runs nothing,
 * else built by Docker; `build.engine` forces either, and `direct` on a Dockerfile that needs an
 * engine is a plan error naming the instruction and its line, as is an engine build on a `ref()`
 * base published only to an OCI layout (only direct assembly reads one). Pure.
 */
import type { ResolvedConfig, ResolvedImage } from '../config/resolved.js';
import { MultiarchError } from '../errors/multiarch-error.js';
import { layoutRefs } from './ref-target.js';

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

/**
 * Every image that cannot be built the way its build path says, in one plan error (exit 1, nothing
 * built): `engine: 'direct'` on a Dockerfile that needs an engine, and an engine build on a `ref()`
 * base published only to an OCI layout, which an engine cannot read. Only known Dockerfiles are
 * judged (`graph` plans without them).
 */
export function checkBuildPaths(config: ResolvedConfig, images: readonly ResolvedImage[], facts: Readonly<Record<string, DockerfileFact>> | undefined): void {
  const direct = directProblems(images, facts);
  const layouts = layoutProblems(config, images, facts);
  const problems = [...direct, ...layouts];
  if (problems.length === 0) return;
  const what = layouts.length === 0 ? 'be assembled without an engine' : direct.length === 0 ? 'be built on an engine' : 'be built as configured';
  throw new MultiarchError('E_CONFIG_INVALID', `${config.file}: ${problems.length === 1 ? 'an image cannot' : `${problems.length} images cannot`} ${what}`, {
    details: problems,
    hint: [
      ...(direct.length > 0 ? ["remove the instruction, or set build: { engine: 'auto' } (the default) to let Docker build it"] : []),
      ...(layouts.length > 0 ? ["publish the base to a registry too (the engine pulls it from there), or make the image buildable without an engine (no RUN, no test, no engine: 'docker')"] : []),
    ].join('; '),
  });
}

function directProblems(images: readonly ResolvedImage[], facts: Readonly<Record<string, DockerfileFact>> | undefined): string[] {
  return images.flatMap((image) => {
    const fact = facts?.[image.name];
    if (image.engine !== 'direct' || !fact) return [];
    if (fact.direct && image.test) return [`images.${image.name}.build.engine is 'direct', but its test runs the image in a container, which needs an engine`];
    if (fact.direct) return [];
    return [`images.${image.name}.build.engine is 'direct', but ${image.dockerfile}:${fact.line}: ${fact.instruction} ${fact.why} — that needs an engine`];
  });
}

/** An engine pulls its bases from registries: a base only in an OCI layout is for direct assembly. */
function layoutProblems(config: ResolvedConfig, images: readonly ResolvedImage[], facts: Readonly<Record<string, DockerfileFact>> | undefined): string[] {
  return images.flatMap((image) => {
    const fact = facts?.[image.name];
    // engine: 'direct' on a Dockerfile that needs an engine is reported above, once.
    if ((!fact && image.engine !== 'docker') || image.engine === 'direct') return [];
    const way = chooseBuildPath(image, fact);
    if (way.path === 'direct') return [];
    const why = fact && !fact.direct && image.engine !== 'docker' ? `${image.dockerfile}:${fact.line}: ${fact.instruction} ${fact.why}` : way.reason ?? 'it is built on an engine';
    return layoutRefs(config, image).map(
      ({ arg, base, registry, layout }) =>
        `images.${image.name}.args.${arg} is ref("${base}"${registry ? `, { registry: "${registry}" }), which names` : '), which is published only to'} the OCI layout ${layout}, but ${image.name} is built on an engine (${why}), and an engine cannot read an OCI layout: publish ${base} to a registry too, or make ${image.name} buildable without an engine`,
    );
  });
}

/** `SOURCE_DATE_EPOCH` semantics: the commit's time (or the variable's), else 1970. */
export function buildEpoch(created: string | undefined): number {
  const ms = created ? Date.parse(created) : Number.NaN;
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : 0;
}
