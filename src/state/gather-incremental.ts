/**
 * The shell's half of incremental planning: snapshot every image's context and Dockerfile, resolve
 * the base images each build pulls, read what the registries hold (or, offline, what this machine
 * last saw), and fetch the recorded details of images whose inputs differ so the plan can name
 * what changed. Everything is gathered before the one pure call that decides (createPlan). Edge.
 */
import { isMultiarchError, MultiarchError } from '../errors/multiarch-error.js';
import type { ContextRules } from '../inputs/context-rules.js';
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { formatPlatform } from '../config/platform.js';
import { contextReads, unionReads, type ContextReads } from '../dockerfile/context-reads.js';
import { readDockerfile } from '../dockerfile/read.js';
import { ownDirectories } from '../inputs/contexts-holding.js';
import { HashCacheStore } from '../inputs/hash-cache.js';
import { digestDockerfile, snapshotContext } from '../inputs/snapshot-context.js';
import type { IncrementalFacts, InputsDetail, InputsFacts, RegistryFacts } from '../plan/incremental/types.js';
import { computeBuildInputs, prepareOf, REBUILT } from '../plan/incremental/inputs-digest.js';
import { inputsBuilderKind } from '../plan/build-path.js';
import { formatImageRef } from '../config/registry-url.js';
import type { BuildNode, BuilderFacts, Plan, TargetSpec } from '../plan/nodes.js';
import type { RegistryPool } from '../registry/pool.js';
import { readRecordedInputs } from './read-labels.js';
import { readPrevious, type EarlierTag } from './read-previous.js';
import { readPublished } from './read-published.js';
import { createRegistryAccess, type RegistryAccess } from './registry-access.js';
import { resolveBases } from './resolve-bases.js';
import { StateStore } from './state-store.js';

export interface GatherOptions {
  /** Hash cache and state store live here; undefined keeps nothing between runs. */
  readonly cacheDir?: string;
  readonly offline: boolean;
  /**
   * false: do not read what the publish targets hold (a shard, which publishes nothing and
   * rebuilds everything): no credentials for them are needed. Base images are still resolved.
   */
  readonly readTargets?: boolean;
  readonly pool: RegistryPool;
  readonly kind: BuilderFacts['kind'];
  /** `$BUILDPLATFORM` for a build: its engine's platform. */
  readonly buildPlatform: (node: BuildNode) => string;
  /** How this builder applies .dockerignore (from its kind and the client's version). */
  readonly contextRules: ContextRules;
  readonly force?: true | readonly string[];
  /** The tags the config's git rule gives HEAD's ancestors (see read-previous.ts); called only when needed. */
  readonly earlierTags?: (image: string) => Promise<readonly EarlierTag[]>;
  readonly signal?: AbortSignal;
  /** ISO time, for what the state store remembers. */
  readonly now: string;
}

interface GatherContext {
  readonly store: StateStore;
  readonly access?: RegistryAccess;
  /** The caller's signal, for the many requests in flight at once (no listener-count warning). */
  readonly signal?: AbortSignal;
}

function gatherContext(plan: Plan, options: GatherOptions): GatherContext {
  const store = new StateStore(options.cacheDir);
  const targets = Object.values(plan.nodes).flatMap((n) => (n.kind === 'push' || n.kind === 'index' ? [n.target] : []));
  let signal: AbortSignal | undefined;
  if (options.signal) {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    if (options.signal.aborted) controller.abort(options.signal.reason);
    else options.signal.addEventListener('abort', () => controller.abort(options.signal!.reason), { once: true });
    signal = controller.signal;
  }
  return { store, ...(options.offline ? {} : { access: createRegistryAccess(options.pool, targets) }), ...(signal ? { signal } : {}) };
}

/**
 * Inputs and registry state for the plan's graph (planShape): every context and Dockerfile, the
 * base images each build pulls, what the targets hold — and the recorded details of the inputs
 * that published images hold when they differ from the inputs now, so the plan can name what
 * changed. `details: false` (checking a saved plan) skips those.
 */
export async function gatherIncrementalFacts(plan: Plan, options: GatherOptions & { readonly details?: boolean }): Promise<IncrementalFacts> {
  const context = gatherContext(plan, options);
  const { store, access, signal } = context;
  const common = { store, now: options.now, ...(access ? { access } : {}), ...(signal ? { signal } : {}) };
  // Dockerfiles: read once for both their digest and their base images; small, so synchronously.
  const texts = new Map<string, Promise<Buffer>>();
  const readOnce = (file: string) => {
    let pending = texts.get(file);
    if (!pending) texts.set(file, (pending = Promise.resolve().then(() => readFileSync(file))));
    return pending;
  };
  const [images, bases, published] = await Promise.all([
    snapshotImages(plan, options, store, readOnce),
    resolveBases(plan, { ...common, kind: options.kind, buildPlatform: options.buildPlatform, read: readOnce }),
    readPublished(plan, options.readTargets === false ? { store, now: options.now, ...(signal ? { signal } : {}) } : common),
  ]).catch((error: unknown) => {
    // Planning needs the registries; say which one failed and that --offline exists.
    if (isMultiarchError(error) && error.code === 'E_REGISTRY_UNREACHABLE') {
      throw new MultiarchError(error.code, `cannot read registry state to plan: ${error.message}`, {
        hint: `${error.hint ?? 'check the registry'}; or plan from what this machine last saw: multiarch plan --offline`,
      });
    }
    throw error;
  });
  const inputs: InputsFacts = { builder: options.kind, images, bases };
  const targets = options.readTargets === false ? undefined : access;
  const [recorded, previous] = await Promise.all([
    options.details === false ? { details: {}, files: {} } : recordedDetails(plan, inputs, published.tags, store, targets, signal),
    // Checking a saved plan needs no cache source: it was decided with the plan.
    targets && options.details !== false ? readPrevious(plan, published.tags, { access: targets, store, ...(options.earlierTags ? { earlierTags: options.earlierTags } : {}), ...(signal ? { signal } : {}) }) : {},
  ]);
  const moved = Object.keys(previous).length > 0 ? { previous } : {};
  return { inputs, registry: { ...published, ...recorded, ...moved }, ...(options.force ? { force: options.force } : {}) };
}

async function snapshotImages(plan: Plan, options: GatherOptions, store: StateStore, read: (file: string) => Promise<Buffer>): Promise<InputsFacts['images']> {
  const first = new Map<string, BuildNode>();
  const builds = new Map<string, BuildNode[]>();
  for (const node of Object.values(plan.nodes)) {
    if (node.kind !== 'build') continue;
    if (!first.has(node.image)) first.set(node.image, node);
    builds.set(node.image, [...(builds.get(node.image) ?? []), node]);
  }
  const caches = await HashCacheStore.load(options.cacheDir);
  const entries = await Promise.all(
    [...first.values()].map(async (node) => {
      const cache = caches.forContext(node.context);
      const known = cache.lastSnapshot;
      const text = await read(node.dockerfile).then((b) => b.toString('utf8'), () => undefined);
      const reads = text === undefined ? undefined : imageReads(text, builds.get(node.image)!, options);
      const [snapshot, dockerfile] = await Promise.all([
        snapshotContext({
          context: node.context,
          dockerfile: node.dockerfile,
          builder: inputsBuilderKind(node, options.kind),
          // A direct build: its kind's rules (see snapshotContext), not the engine client's.
          ...(node.direct ? {} : { rules: options.contextRules }),
          cache,
          exclude: prepareOf(plan, node)?.outputs ?? [],
          ...(reads ? { reads } : {}),
          own: ownDirectories(plan, options.cacheDir),
        }),
        digestDockerfile(node.dockerfile, read),
      ]);
      // Remembered so a later plan can name the files that changed since this one.
      if (snapshot.digest !== known) await store.saveFiles(snapshot.digest, snapshot.files);
      const readsNote = {
        ...(snapshot.whole ? { whole: snapshot.whole } : {}),
        ...(reads?.notHashable.length ? { notHashable: reads.notHashable } : {}),
      };
      return [node.image, { context: snapshot.digest, dockerfile, files: snapshot.files, ...readsNote }] as const;
    }),
  );
  await caches.save();
  return Object.fromEntries(entries);
}

/** The context paths an image's builds (all its platforms) read, from its Dockerfile. */
function imageReads(text: string, nodes: readonly BuildNode[], options: GatherOptions): ContextReads {
  const file = readDockerfile(text);
  return unionReads(
    nodes.map((node) => {
      // A ref() arg's value is known only once its image is pushed: marked, so a source using it falls back.
      const args = Object.fromEntries(Object.entries(node.args).map(([k, v]) => [k, typeof v === 'string' ? v : '\u0000ref\u0000']));
      return contextReads(file, {
        args,
        platform: formatPlatform(node.platform),
        buildPlatform: options.buildPlatform(node),
        ...(node.target ? { target: node.target } : {}),
        allStages: inputsBuilderKind(node, options.kind) === 'legacy',
      });
    }),
  );
}

/**
 * Details and file lists of the inputs published images record where they differ from the inputs
 * now (from the state store, or the images' config labels). A build on a `ref()` base counts as
 * differing: its inputs hold the base's digest, known only once the plan is decided.
 */
async function recordedDetails(
  plan: Plan,
  inputs: InputsFacts,
  tags: RegistryFacts['tags'],
  store: StateStore,
  access: RegistryAccess | undefined,
  signal?: AbortSignal,
): Promise<Pick<RegistryFacts, 'details' | 'files'>> {
  const wanted = new Map<string, { target: TargetSpec; repository: string; digest: string }>();
  const differs = new Map<string, boolean>();
  const differsNow = (build: BuildNode, recorded: string) => {
    if (Object.values(build.args).some((v) => typeof v !== 'string')) return true;
    if (!differs.has(build.id)) differs.set(build.id, computeBuildInputs(build, inputs, () => REBUILT, prepareOf(plan, build)).digest !== recorded);
    return differs.get(build.id)!;
  };
  for (const node of Object.values(plan.nodes)) {
    if (node.kind !== 'push') continue;
    const build = plan.nodes[node.build];
    if (build?.kind !== 'build') continue;
    for (const r of node.refs) {
      const state = tags[formatImageRef(node.target, r.repository, r.tag)];
      if (state?.inputs && !wanted.has(state.inputs) && differsNow(build, state.inputs)) wanted.set(state.inputs, { target: node.target, repository: r.repository, digest: state.digest });
    }
  }
  const details: Record<string, InputsDetail> = {};
  const files: Record<string, Record<string, string>> = {};
  await Promise.all(
    [...wanted].map(async ([recorded, where]) => {
      let detail = await store.detail(recorded);
      if (!detail && access) detail = (await readRecordedInputs(access, access.store(where.target), store, where.repository, where.digest, signal)).detail;
      if (!detail) return;
      details[recorded] = detail;
      const list = await store.files(detail.context);
      if (list) files[detail.context] = list;
    }),
  );
  return { details, files };
}
