/**
 * From a plan and the facts (inputs, registry state) to what apply must do: per image and platform
 * `create`, `rebuild` (with reasons), `up-to-date`, `copy` (current on one target, missing on
 * another) or `retag` (current in the registry, a tag pointing elsewhere); per push what it writes;
 * per index whether it is created, updated or unchanged. A forced image, or one built on an image
 * that is rebuilt (`ref()`), is rebuilt. Build nodes get the inputs labels, index children the
 * inputs annotation, so what is published records what it was built from. Pure.
 */
import { formatPlatform } from '../../config/platform.js';
import { formatImageRef } from '../../config/registry-url.js';
import type { BuildNode, IndexAction, IndexNode, Plan, PlanNode, PlanNote, PushAction, PushNode, RefArg, RunAction, TargetSpec } from '../nodes.js';
import { fingerprintOf } from './stale.js';
import { withCacheSource } from './cache-source.js';
import { decideIndex } from './decide-index.js';
import { computeBuildInputs, prepareOf, REBUILT, type BuildInputs } from './inputs-digest.js';
import { describeInputChanges } from './reasons.js';
import {
  INPUTS_DETAIL_LABEL,
  INPUTS_LABEL,
  type IncrementalFacts,
  type IndexChange,
  type PlanChanges,
  type PlatformChange,
  type PublishedImage,
  type PushChange,
  type TagState,
} from './types.js';

interface Seen {
  readonly ref: string;
  readonly state: TagState | null | undefined;
  readonly target: string;
  readonly host: string;
  readonly repository: string;
}

export function decideChanges(plan: Plan, facts: IncrementalFacts): Plan {
  const inputs: Record<string, BuildInputs> = {};
  const { registry } = facts;
  const pushesOf = new Map<string, PushNode[]>();
  for (const id of plan.order) {
    const n = plan.nodes[id]!;
    if (n.kind === 'push') pushesOf.set(n.build, [...(pushesOf.get(n.build) ?? []), n]);
  }
  const platforms: Record<string, PlatformChange> = {};
  const pushes: Record<string, PushChange> = {};
  // A ref() arg becomes the base's digest: known when the base is current (decided earlier, the
  // plan being in dependency order), not when it is rebuilt first.
  const refValue = (arg: RefArg): string => {
    const push = plan.nodes[arg.ref.node];
    const base = push?.kind === 'push' ? platforms[push.build] : undefined;
    return base?.current?.digest ?? REBUILT;
  };
  const observe = (ref: string): TagState | null | undefined => {
    // Read from the registry, a tag not reported is missing; offline, it is unknown.
    return registry.tags[ref] ?? (registry.source === 'registry' ? null : undefined);
  };
  for (const id of plan.order) {
    const node = plan.nodes[id]!;
    if (node.kind !== 'build') continue;
    const mine = pushesOf.get(id) ?? [];
    const seen: Seen[] = mine.flatMap((p) =>
      p.refs.length === 0
        ? seenThroughIndexes(plan, p, observe)
        : p.refs.map((r) => {
            const ref = formatImageRef(p.target, r.repository, r.tag);
            return { ref, state: observe(ref), target: p.target.name, host: p.target.host, repository: r.repository };
          }),
    );
    inputs[id] = computeBuildInputs(node, facts.inputs, refValue, prepareOf(plan, node));
    const decided = decidePlatform(plan, node, inputs[id], seen, platforms, facts);
    if (!('base' in decided)) {
      platforms[id] = decided;
      for (const push of mine) pushes[push.id] = { action: 'push', write: refsOf(push), digestRepositories: [...push.digestRepositories] };
      continue;
    }
    const mineChanges = mine.map((push) => decidePush(push, decided.current, registry));
    mine.forEach((push, i) => (pushes[push.id] = mineChanges[i]!));
    const action = mineChanges.every((c) => c.action === 'skip') ? 'up-to-date' : mineChanges.some((c) => c.action === 'copy') ? 'copy' : 'retag';
    platforms[id] = { ...decided.base, action, reasons: [], current: decided.current };
  }
  const indexes: Record<string, IndexChange> = {};
  for (const id of plan.order) {
    const node = plan.nodes[id]!;
    if (node.kind !== 'index') continue;
    const ref = formatImageRef(node.target, node.repository, node.indexTag);
    indexes[id] = decideIndex(plan, node, ref, observe(ref), platforms);
  }
  const changes: PlanChanges = {
    source: registry.source,
    platforms,
    pushes,
    indexes,
    summary: summarize(plan, platforms, pushes, indexes),
    fingerprint: fingerprintOf(plan, facts),
  };
  const nodes: Record<string, PlanNode> = {};
  for (const [id, n] of Object.entries(plan.nodes)) nodes[id] = withAction(n, changes, inputs, plan, registry);
  const { incremental: _consumed, ...keptFacts } = plan.facts;
  return { ...plan, nodes, facts: keptFacts, changes, notes: [...plan.notes, ...inputsNotes(facts)] };
}

/** What the plan says about an image's inputs that are not just "the files its Dockerfile reads". */
function inputsNotes(facts: IncrementalFacts): PlanNote[] {
  return Object.entries(facts.inputs.images).flatMap(([image, i]) => [
    ...(i.whole ? [{ image, message: `inputs: the whole build context counts, since ${i.whole}` }] : []),
    ...(i.notHashable?.length
      ? [{ image, message: `inputs: ADD ${i.notHashable.join(', ')} is fetched when it is built, not hashed: a change there alone does not rebuild the image (--force does)` }]
      : []),
  ]);
}

/**
 * `platformTag: false`: a platform image has no tag of its own; what is published for it is the
 * child its indexes list for its platform (with the inputs annotation that child carries).
 */
function seenThroughIndexes(plan: Plan, push: PushNode, observe: (ref: string) => TagState | null | undefined): Seen[] {
  const platform = formatPlatform(push.platform);
  return Object.values(plan.nodes).flatMap((n) => {
    if (n.kind !== 'index' || !n.children.some((c) => c.push === push.id)) return [];
    const ref = formatImageRef(n.target, n.repository, n.indexTag);
    const index = observe(ref);
    const child = index?.children?.find((c) => c.platform === platform);
    const state: TagState | null | undefined = index === undefined ? undefined : child ? { digest: child.digest, mediaType: child.mediaType, size: child.size, ...(child.inputs ? { inputs: child.inputs } : {}) } : null;
    return [{ ref: `${ref} (${platform})`, state, target: n.target.name, host: n.target.host, repository: n.repository }];
  });
}

function refsOf(push: PushNode): string[] {
  return push.refs.map((r) => formatImageRef(push.target, r.repository, r.tag));
}

type Decided = PlatformChange | { readonly base: Omit<PlatformChange, 'action' | 'reasons'>; readonly current: PublishedImage };

/** A build (create/rebuild with reasons), or the published image that is already current. */
function decidePlatform(
  plan: Plan,
  node: BuildNode,
  mine: BuildInputs,
  seen: readonly Seen[],
  decided: Readonly<Record<string, PlatformChange>>,
  facts: IncrementalFacts,
): Decided {
  const base = { image: node.image, platform: formatPlatform(node.platform), inputs: mine.digest, detail: mine.detail };
  const build = (action: 'create' | 'rebuild', reasons: string[]): PlatformChange => ({ ...base, action, reasons });
  if (seen.length === 0) return build('rebuild', ['not published, so nothing records what was built before']);
  const forced = facts.force === true || (facts.force ?? []).includes(node.image);
  if (forced) return build('rebuild', ['forced (--force)']);
  if (mine.unresolved.length > 0) {
    return build('rebuild', [...mine.unresolved]);
  }
  const rebuiltBases = Object.values(node.args).flatMap((v) => {
    if (typeof v === 'string') return [];
    const push = plan.nodes[v.ref.node];
    const change = push?.kind === 'push' ? decided[push.build] : undefined;
    return change && (change.action === 'create' || change.action === 'rebuild') ? [v.ref.image] : [];
  });
  if (seen.every((s) => !s.state)) {
    const unknown = seen.some((s) => s.state === undefined);
    return build('create', [unknown ? 'not seen on this machine before (offline: registries not read)' : 'not published yet']);
  }
  const match = seen.find((s) => s.state?.inputs === mine.digest);
  if (rebuiltBases.length > 0) {
    const own = match ? [] : ownReasons(seen, mine, facts, node.image);
    return build('rebuild', [...own, ...rebuiltBases.map((b) => `built on ${b}, which is rebuilt`)]);
  }
  if (!match) {
    const own = ownReasons(seen, mine, facts, node.image);
    return build('rebuild', own.length > 0 ? own : ['inputs changed']);
  }
  const state = match.state!;
  return { base, current: { digest: state.digest, mediaType: state.mediaType, size: state.size, ref: match.ref, target: match.target, host: match.host, repository: match.repository } };
}

/** Why the inputs differ from what a published tag records. */
function ownReasons(seen: readonly Seen[], mine: BuildInputs, facts: IncrementalFacts, image: string): string[] {
  const recorded = seen.find((s) => s.state?.inputs)?.state;
  if (!recorded?.inputs) {
    const ref = seen.find((s) => s.state)?.ref;
    return [`${ref} records no inputs (not built by multiarch, or by a version before incremental builds)`];
  }
  const before = facts.registry.details[recorded.inputs];
  const filesNow = facts.inputs.images[image]?.files;
  const filesBefore = before ? facts.registry.files[before.context] : undefined;
  return describeInputChanges({ now: mine.detail, ...(before ? { before } : {}), ...(filesNow ? { filesNow } : {}), ...(filesBefore ? { filesBefore } : {}) });
}

/** What one push of an image that is already current writes: nothing, a retag, or a copy. */
export function decidePush(push: PushNode, current: PublishedImage, registry: IncrementalFacts['registry']): PushChange {
  const refs = refsOf(push);
  const holds = (ref: string) => registry.tags[ref]?.digest === current.digest;
  const hasManifest = (repo: string) => registry.manifests[formatImageRef(push.target, repo, current.digest)] === true;
  const write = refs.filter((ref) => !holds(ref));
  const holding = new Set(push.refs.filter((_, i) => holds(refs[i]!)).map((r) => r.repository));
  const digestRepositories = push.digestRepositories.filter((repo) => !holding.has(repo) && !hasManifest(repo));
  if (write.length === 0 && digestRepositories.length === 0) return { action: 'skip', write, digestRepositories };
  const local =
    [...holding][0] ??
    push.digestRepositories.find(hasManifest) ??
    (current.host === push.target.host ? current.repository : undefined);
  const source = local ?? current.repository;
  const target = local ? push.target.name : current.target;
  const from = { ref: formatImageRef({ host: local ? push.target.host : current.host }, source, current.digest), target, repository: source, digest: current.digest };
  return { action: local ? 'retag' : 'copy', from, write, digestRepositories };
}

function summarize(plan: Plan, platforms: Record<string, PlatformChange>, pushes: Record<string, PushChange>, indexes: Record<string, IndexChange>): PlanChanges['summary'] {
  const builds = (id: string) => platforms[id]?.action === 'create' || platforms[id]?.action === 'rebuild';
  let build = 0;
  let push = 0;
  let unchanged = 0;
  const buildOfPrepare = new Map<string, string>();
  for (const node of Object.values(plan.nodes)) if (node.kind === 'build') for (const dep of node.deps) buildOfPrepare.set(dep, node.id);
  for (const node of Object.values(plan.nodes)) {
    switch (node.kind) {
      case 'build':
        if (builds(node.id)) build++;
        else unchanged++;
        break;
      case 'prepare':
        if (!builds(buildOfPrepare.get(node.id) ?? '')) unchanged++;
        break;
      case 'test':
      case 'scan':
        if (!builds(node.build)) unchanged++;
        break;
      case 'push':
        if (pushes[node.id]?.action === 'skip') unchanged++;
        else push++;
        break;
      case 'index':
        if (indexes[node.id]?.action === 'unchanged') unchanged++;
        break;
    }
  }
  const count = (a: IndexChange['action']) => Object.values(indexes).filter((i) => i.action === a).length;
  return { build, push, indexCreate: count('create'), indexUpdate: count('update'), unchanged };
}

/**
 * Each node with what apply does with it. Builds carry their inputs as labels (finished at run
 * time when a `ref()` base is rebuilt first), index children as annotations; a build that runs
 * names its automatic cache source.
 */
function withAction(node: PlanNode, changes: PlanChanges, inputs: Readonly<Record<string, BuildInputs>>, plan: Plan, registry: IncrementalFacts['registry']): PlanNode {
  const built = (buildId: string) => {
    const action = changes.platforms[buildId]?.action;
    return action === undefined || action === 'create' || action === 'rebuild';
  };
  const run = (buildId: string, why: string): RunAction => (built(buildId) ? { type: 'run' } : { type: 'skip', why });
  switch (node.kind) {
    case 'build': {
      const mine = inputs[node.id]!;
      const labels = { ...node.labels, [INPUTS_LABEL]: mine.digest, [INPUTS_DETAIL_LABEL]: mine.json };
      const change = changes.platforms[node.id]!;
      // A build that runs reads the layer cache of what was last published for its platform.
      if (built(node.id) || !change.current) return { ...withCacheSource(plan, node, registry), labels, action: { type: 'build', record: { detail: mine.detail } } };
      const why = `${change.action}: ${change.current.ref}`;
      return { ...node, labels, action: { type: 'reuse', published: change.current, inputs: { digest: mine.digest, detail: mine.detail }, why } };
    }
    case 'prepare': {
      // The prepare step belongs to its build: what it writes is only wanted by a build that runs.
      const build = Object.values(plan.nodes).find((n) => n.kind === 'build' && n.deps.includes(node.id));
      return { ...node, action: build ? run(build.id, 'its build is current') : { type: 'run' } };
    }
    case 'test':
      return { ...node, action: run(node.build, 'tested when it was built') };
    case 'scan':
      // A scan gates a push of what was just built; nothing is built or pushed here.
      return { ...node, action: run(node.build, 'nothing new to scan: the published image is current') };
    case 'push':
      return { ...node, action: pushAction(plan, node, changes) };
    case 'index': {
      const change = changes.indexes[node.id];
      const action: IndexAction = change?.action === 'unchanged' && change.current ? { type: 'skip', current: change.current } : { type: 'write' };
      return { ...withChildInputs(node, inputs, plan), action };
    }
  }
}

export function pushAction(plan: Plan, node: PushNode, changes: PlanChanges): PushAction {
  const change = changes.pushes[node.id];
  const published = changes.platforms[node.build]?.current;
  if (!change || change.action === 'push' || !published) return { type: 'push' };
  if (change.action === 'skip') return { type: 'skip', published };
  const from = change.from!;
  const write = node.refs.filter((r) => change.write.includes(formatImageRef(node.target, r.repository, r.tag)));
  const target = findTarget(plan, from.target) ?? node.target;
  return { type: change.action, published, from: { ref: from.ref, target, repository: from.repository, digest: from.digest }, write, digestRepositories: change.digestRepositories };
}

function findTarget(plan: Plan, name: string): TargetSpec | undefined {
  for (const n of Object.values(plan.nodes)) if ((n.kind === 'push' || n.kind === 'index') && n.target.name === name) return n.target;
  return undefined;
}

function withChildInputs(node: IndexNode, inputs: Readonly<Record<string, BuildInputs>>, plan: Plan): IndexNode {
  const children = node.children.map((c) => {
    const push = plan.nodes[c.push];
    const digest = push?.kind === 'push' ? inputs[push.build]?.digest : undefined;
    return digest ? { ...c, annotations: { [INPUTS_LABEL]: digest } } : c;
  });
  return { ...node, children };
}
