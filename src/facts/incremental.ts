/**
 * The facts incremental planning decides on: inputs and registry state for a plan's graph (offline
 * when asked), and `--since <ref>` turned into a selection with a note per image saying why it is
 * in or out. Edge: reads contexts, registries, git.
 */
import process from 'node:process';
import { ancestorTags } from '../config/ancestor-tags.js';
import type { ResolvedConfig } from '../config/resolved.js';
import { isMultiarchError } from '../errors/multiarch-error.js';
import { imagesChangedSince } from '../inputs/changed-since.js';
import { contextRulesFor } from '../inputs/context-rules.js';
import type { IncrementalFacts } from '../plan/incremental/types.js';
import type { BuildNode, BuilderFacts, Plan, PlanNote } from '../plan/nodes.js';
import { matchImages } from '../plan/image-patterns.js';
import { resolveSelection, type ResolvedSelection } from '../plan/selection.js';
import type { RegistryPool } from '../registry/pool.js';
import { gatherIncrementalFacts } from '../state/gather-incremental.js';
import type { BuilderChoice } from '../docker/choose-builder.js';
import { DIRECT_BUILDER_KIND } from '../plan/build-path.js';
import { gitAncestors } from './git-ancestors.js';
import type { FactsIo, FactsOptions } from './request.js';

export interface IncrementalContext {
  /** With its tags resolved; its gitTags() rules find where an image was published before its tags moved. */
  readonly config: ResolvedConfig;
  readonly options: FactsOptions;
  readonly io: FactsIo;
  readonly cacheDir: string;
  readonly registries: RegistryPool;
}

/**
 * Inputs and registry state for the plan's graph (see gatherIncrementalFacts), as the flags ask,
 * for builds with `client`'s builder (undefined: the plan has only direct builds),
 * and what the plan should say about them. A shard reads its publish targets as `plan` does
 * (read-only, anonymously where no login is stored) to build only what they do not hold; when it
 * cannot read them (a fork's pull request without credentials), it builds everything, as a shard
 * without that knowledge must, and says so.
 */
export async function incrementalFacts(plan: Plan, client: BuilderChoice | undefined, context: IncrementalContext): Promise<{ facts: IncrementalFacts; notes: PlanNote[] }> {
  const { options, io } = context;
  const ancestors = gitAncestors(context.config.dir);
  const earlierTags = async (image: string) => {
    const rule = context.config.images[image]?.tagRule;
    return rule ? ancestorTags(rule, await ancestors()) : [];
  };
  const gather = (readTargets: boolean, force: FactsOptions['force']) =>
    gatherIncrementalFacts(plan, {
      cacheDir: context.cacheDir,
      offline: options.offline === true,
      readTargets,
      pool: context.registries,
      // No client: no engine builds, only direct ones (which follow their own kind's rules).
      kind: client?.kind ?? DIRECT_BUILDER_KIND,
      buildPlatform: (node) => buildPlatformOf(plan, node),
      contextRules: client ? contextRulesFor(client.kind, client.client.version) : contextRulesFor(DIRECT_BUILDER_KIND, '99'),
      ...(force ? { force } : {}),
      earlierTags,
      signal: io.signal,
      now: new Date().toISOString(),
    });
  if (options.shardOut === undefined) return { facts: await gather(true, options.force), notes: [] };
  // Offline, a shard knows nothing of the targets: it builds everything.
  if (options.offline) return { facts: await gather(false, true), notes: [] };
  try {
    return { facts: await gather(true, options.force), notes: [] };
  } catch (error) {
    if (!isMultiarchError(error) || !error.code.startsWith('E_REGISTRY')) throw error;
    const images = [...new Set(Object.values(plan.nodes).map((n) => n.image))];
    const message = `${SHARD_BLIND} (${error.message}), so every platform image is built, as if forced`;
    return { facts: await gather(false, true), notes: images.map((image) => ({ image, message })) };
  }
}

/** How a shard's note that it could not read its targets begins. */
export const SHARD_BLIND = 'shard: cannot read what the publish targets hold';

/** `$BUILDPLATFORM` of a build: its builder's engine's platform (this machine's when unknown). */
export function buildPlatformOf(plan: Plan, node: BuildNode): string {
  const engine = plan.facts.engines?.[node.builder];
  if (engine?.reachable) return engine.nativePlatform;
  return plan.facts.builder?.nativePlatform ?? hostPlatform();
}

function hostPlatform(): string {
  const arch = ({ x64: 'amd64', arm64: 'arm64', arm: 'arm/v7', ia32: '386' } as Record<string, string>)[process.arch] ?? process.arch;
  return `linux/${arch}`;
}

export async function sinceSelection(
  config: ResolvedConfig,
  options: FactsOptions,
  selection: ResolvedSelection,
  builder: BuilderFacts['kind'],
): Promise<{ selection: ResolvedSelection; notes: Plan['notes'] }> {
  const changed = await imagesChangedSince(config, options.since!, builder);
  const chosen = options.images.length === 0 ? changed.images : matchImages(changed.images, options.images).images;
  const narrowed = resolveSelection(config, { images: chosen, platforms: options.platforms });
  const result: ResolvedSelection = chosen.length === 0 ? { images: new Set(), implied: [] } : narrowed.ok ? narrowed.selection : selection;
  const notes: Array<Plan['notes'][number]> = [];
  for (const name of Object.keys(config.images)) {
    const why = changed.why[name];
    if (why && chosen.includes(name)) notes.push({ image: name, message: `selected by --since ${options.since}: ${why}` });
    else if (!result.images.has(name)) notes.push({ image: name, message: `left out by --since ${options.since}: ${why ? 'not selected' : 'none of its inputs changed'}` });
  }
  return { selection: result, notes };
}
