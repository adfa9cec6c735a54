/**
 * build(image, platform) on its builder's engine: `ref()` args become the base's pushed digest for
 * this platform (the engine pulls it from the registry, so it must be able to reach that registry),
 * or in a shard the base's local tag on the same engine.
 */
import { formatPlatform } from '../../config/platform.js';
import { recordedBases } from '../../plan/incremental/inputs-digest.js';
import type { BuildStep } from '../ports/builder.js';
import type { BuildNode } from '../../plan/nodes.js';
import { shortDigest } from '../../image/descriptor.js';
import type { StepContext, StepResult } from '../execute.js';
import type { Engines } from '../ports/engine.js';
import { runAssemble, type AssembleDeps } from './assemble.js';
import { resolveBuildInputs } from './build-inputs.js';
import type { ImageExports } from './image-exports.js';
import type { BuildOutput } from './step-outputs.js';

export interface BuildDeps extends AssembleDeps {
  /** The engine of each builder: it builds, then runs the tests of and exports what it built. */
  readonly engines: Engines;
  /** Takes assembled images; reads an engine build's bases while it runs, for its export. */
  readonly images: Pick<ImageExports, 'add' | 'readBases'>;
}

export async function runBuild(deps: BuildDeps, node: BuildNode, ctx: StepContext): Promise<StepResult<BuildOutput>> {
  const action = node.action;
  if (action.type === 'reuse') {
    const output: BuildOutput = { reused: action.published, platform: node.platform, builder: node.builder, inputs: action.inputs };
    return { status: 'cached', output, info: { summary: action.why, digest: action.published.digest } };
  }
  if (node.direct) return runAssemble(deps, node, ctx);
  const { args, labels, final, pushedBases } = resolveBuildInputs(node, ctx);
  // Its export reuses its base's compressed layers: they are looked up meanwhile.
  const platform = formatPlatform(node.platform);
  const bases = [...(final ? recordedBases(final.detail.bases) : []), ...pushedBases.map((b) => ({ ...b, platform }))];
  deps.images.readBases(bases, ctx.signal);
  const built = await deps.engines.get(node.builder).build(
    {
      context: node.context,
      dockerfile: node.dockerfile,
      platform: node.platform,
      args,
      ...(node.target ? { target: node.target } : {}),
      labels,
      tag: node.localTag,
      ...(node.cache ? { cache: { from: node.cache.from, to: node.cache.to } } : {}),
      ...(node.secrets ? { secrets: node.secrets } : {}),
      ...(node.ssh ? { ssh: node.ssh } : {}),
      ...(node.ignore ? { ignore: node.ignore } : {}),
    },
    {
      signal: ctx.signal,
      onLine: (line) => ctx.log(line),
      onStep: (step) => ctx.progress(formatBuildStep(step), step.current, step.total, 'steps'),
    },
  );
  // A cache source that cannot be read never fails the build: said, and the build ran without it.
  for (const problem of built.cacheProblems ?? []) ctx.log(`cache source not used: ${problem}`, 'stderr');
  const from = node.cache?.from[0];
  const cacheFrom = from?.type === 'registry' ? from.ref : from?.type === 'local' ? from.dir : from ? `gha:${from.scope}` : undefined;
  return {
    // Every Dockerfile step came from the builder's cache: the image was already there.
    ...(built.cached ? { status: 'cached' as const } : {}),
    output: {
      imageId: built.imageId,
      platform: node.platform,
      builder: node.builder,
      ...(final ? { inputs: { digest: final.digest, detail: final.detail } } : {}),
      ...(built.diffIds ? { diffIds: built.diffIds } : {}),
      ...(bases.length > 0 ? { bases } : {}),
    },
    info: {
      imageId: built.imageId,
      summary: `${node.localTag} (${shortDigest(built.imageId)})${built.steps ? `, ${built.steps.cached}/${built.steps.total} steps from cache` : ''}`,
      ...(built.steps ? { cacheSteps: built.steps } : {}),
      ...(cacheFrom ? { cacheFrom } : {}),
      ...(built.cacheProblems ? { cacheProblems: built.cacheProblems } : {}),
    },
  };
}

/** `[3/7] RUN npm ci` */
export function formatBuildStep(step: BuildStep): string {
  return step.current !== undefined && step.total !== undefined ? `[${step.current}/${step.total}] ${step.text}` : step.text;
}
