/**
 * createPlan: resolved config + observed facts + selection → the graph apply will walk.
 *   [prepare(image, p) →] build(image, p) → test(image, p) → scan(image, p) → push(image, p, target)
 *   → index(image, tag, target)
 * where every push of a scanned image waits for all of its platforms' scans (a rejected image
 * publishes nothing), and for `ref('base')` args: push(base, p, target) → build(image, p). Each
 * build (and its test) runs on the builder the config routes its platform to. Pure.
 */
import type { ResolvedBuilder } from '../config/builders.js';
import { renderPublishNames } from '../config/naming.js';
import { isLayoutHost } from '../config/registry-url.js';
import { formatPlatform, platformSlug, unameMachine, type Platform } from '../config/platform.js';
import { isImageRef } from '../config/ref.js';
import type { ResolvedConfig, ResolvedImage, ResolvedPublish, ResolvedTest } from '../config/resolved.js';
import { renderTemplate, templateVars } from '../config/template.js';
import { buildEpoch, checkBuildPaths, chooseBuildPath } from './build-path.js';
import { refTarget } from './ref-target.js';
import { planBuildCache } from './cache-plan.js';
import { placeBuild } from './engines.js';
import { topologicalOrder } from '../config/graph-order.js';
import { decideChanges } from './incremental/decide.js';
import { decideRepositories } from './ecr-repositories.js';
import type { BuildArg, BuildNode, IndexNode, Plan, PlanFacts, PlanNode, PlanNote, PushNode, TargetSpec, TestNode } from './nodes.js';
import { prepareNode, prepareNodeId } from './prepare-node.js';
import { createScanNode, scanNodeId, scanNotes, scansImage } from './scan-node.js';
import type { ResolvedSelection } from './selection.js';

export const nodeId = {
  prepare: prepareNodeId,
  build: (image: string, p: Platform) => `build:${image}@${formatPlatform(p)}`,
  test: (image: string, p: Platform) => `test:${image}@${formatPlatform(p)}`,
  push: (image: string, p: Platform, target: string) => `push:${image}@${formatPlatform(p)}->${target}`,
  index: (image: string, tag: string, target: string) => `index:${image}:${tag}->${target}`,
  scan: scanNodeId,
};

/**
 * The plan: its graph (planShape) with what each node does decided against the facts — every node
 * does its work, or, with inputs and registry state among the facts, what is current is reused,
 * copied, retagged or skipped. The one call that decides.
 */
export function createPlan(config: ResolvedConfig, facts: PlanFacts, selection: ResolvedSelection): Plan {
  const shape = planShape(config, facts, selection);
  return decideRepositories(facts.incremental ? decideChanges(shape, facts.incremental) : shape, facts.repositories ?? {});
}

/**
 * The nodes and their order, each set to do its work: what the facts about inputs and registries
 * are gathered for (which contexts, base images and tags to look at). Decides nothing.
 */
export function planShape(config: ResolvedConfig, facts: PlanFacts, selection: ResolvedSelection): Plan {
  const nodes: Record<string, PlanNode> = {};
  const notes: PlanNote[] = [];
  const builders: Record<string, ResolvedBuilder> = {};
  const add = (node: PlanNode) => {
    nodes[node.id] = node;
  };
  checkBuildPaths(config, Object.values(config.images).filter((i) => selection.images.has(i.name)), facts.dockerfiles);
  for (const name of selection.implied) {
    notes.push({ image: name, message: 'included because a selected image is built on it (ref)' });
  }
  for (const image of Object.values(config.images)) {
    if (!selection.images.has(image.name)) continue;
    const platforms = image.platforms.filter((p) => !selection.platforms || selection.platforms.has(formatPlatform(p)));
    if (platforms.length === 0) {
      notes.push({ image: image.name, message: 'none of its platforms is selected' });
      continue;
    }
    const partial = platforms.length < image.platforms.length;
    if (partial && image.publish.length > 0) {
      notes.push({
        image: image.name,
        message: `no multi-arch index is written: only ${platforms.map(formatPlatform).join(', ')} of its ${image.platforms.length} platforms are selected`,
      });
    }
    const targets = image.publish.map((publish) => ({ publish, id: targetId(image, publish) }));
    // Pushes wait for the platform's test when there is one: nothing untested is published.
    const checked = (p: Platform) => (image.test ? nodeId.test(image.name, p) : nodeId.build(image.name, p));
    const scan = scansImage(image.scan, facts) ? image.scan : undefined;
    for (const message of scanNotes(image, facts)) notes.push({ image: image.name, message });
    for (const platform of platforms) {
      const prepare = prepareNode(image, platform);
      if (prepare) add(prepare);
      const build = buildNode(config, image, platform, facts);
      add(build);
      builders[build.builder] = builderOf(config, build);
      if (image.test) add(testNode(image, image.test, build));
      if (scan) add(createScanNode(image, scan, platform, [checked(platform)], build.id, facts));
    }
    // A scanned image's pushes wait for every platform's scan: nothing of a rejected image is published.
    const gate = (p: Platform) => (scan ? platforms.map((q) => nodeId.scan(image.name, q)) : [checked(p)]);
    for (const { publish, id } of targets) {
      const rendered = renderPublishNames(image, publish);
      // Names were validated with the config; a failure here means validation was skipped.
      if (!rendered.ok) throw new Error(`unvalidated config: ${rendered.issues[0]?.message}`);
      const target = targetSpec(config, publish);
      const indexRepos = partial ? [] : [publish.repository];
      const source = copySource(config, targets, publish);
      for (const names of rendered.names.platforms) {
        if (!platforms.includes(names.platform)) continue;
        const platform = names.platform;
        const copyFrom = source && nodeId.push(image.name, platform, source);
        const push: PushNode = {
          id: nodeId.push(image.name, platform, id),
          kind: 'push',
          image: image.name,
          // A copy to a further target waits for the first one (it reads what that one wrote).
          deps: copyFrom ? [copyFrom] : gate(platform),
          platform,
          build: nodeId.build(image.name, platform),
          target,
          format: publish.format,
          refs: names.refs,
          digestRepositories: unique([...(names.digestRepository ? [names.digestRepository] : []), ...indexRepos]).filter((repo) => !names.refs.some((r) => r.repository === repo)),
          ...(copyFrom ? { copyFrom } : {}),
          ...supplyOf(config, image, facts),
          ...(Object.keys(image.annotations.manifest).length > 0 ? { annotations: image.annotations.manifest } : {}),
          action: { type: 'push' },
        };
        add(push);
      }
      if (partial) continue;
      for (const { tag, ref } of rendered.names.indexes) {
        const index: IndexNode = {
          id: nodeId.index(image.name, tag, id),
          kind: 'index',
          image: image.name,
          deps: platforms.map((p) => nodeId.push(image.name, p, id)),
          tag,
          target,
          format: publish.format,
          repository: ref.repository,
          indexTag: ref.tag,
          children: platforms.map((p) => ({ platform: p, push: nodeId.push(image.name, p, id) })),
          annotations: { ...gitLabels(facts), ...image.annotations.index },
          ...(config.sign && facts.signing ? { sign: { keyId: facts.signing.keyId } } : {}),
          action: { type: 'write' },
        };
        add(index);
      }
    }
  }
  const ids = Object.keys(nodes);
  const ordered = topologicalOrder(ids, (id) => nodes[id]!.deps);
  // Cycles are rejected with the config (ref rules); a cycle here is a planner bug.
  if (!ordered.ok) throw new Error(`plan has a cycle: ${ordered.cycle.join(' → ')}`);
  const { incremental: _decidedWith, notes: observed = [], ...kept } = facts;
  return { version: 1, configFile: config.file, order: ordered.order, nodes, notes: [...notes, ...observed], builders, facts: kept };
}

/**
 * Signing and attestations of a push, when the config signs: `sign` when the shell read the key;
 * `attest` even without it — a shard holds no key, yet makes the predicates the merge signs.
 */
function supplyOf(config: ResolvedConfig, image: ResolvedImage, facts: PlanFacts): Pick<PushNode, 'sign' | 'attest'> {
  if (!config.sign) return {};
  return { ...(facts.signing ? { sign: { keyId: facts.signing.keyId } } : {}), ...(image.attest ? { attest: image.attest } : {}) };
}

/** Publish targets are named by registry, disambiguated when one image publishes twice to it. */
function targetId(image: ResolvedImage, publish: ResolvedPublish): string {
  const same = image.publish.filter((p) => p.registry === publish.registry);
  return same.length > 1 ? `${publish.registry}#${same.indexOf(publish) + 1}` : publish.registry;
}

/**
 * Fan-out: an image is exported from the engine once, to its first publish target; every other
 * target copies the same manifest from the earliest target before it on the same registry (a
 * mount), else from the first one in its manifest format (a streamed copy). Undefined for the first
 * target of each format (they all use the one export of the run).
 */
function copySource(config: ResolvedConfig, targets: ReadonlyArray<{ publish: ResolvedPublish; id: string }>, publish: ResolvedPublish): string | undefined {
  const at = targets.findIndex((t) => t.publish === publish);
  const earlier = targets.slice(0, at).filter((t) => t.publish.format === publish.format);
  const host = (p: ResolvedPublish) => config.registries[p.registry]!.host;
  return (earlier.find((t) => host(t.publish) === host(publish)) ?? earlier[0])?.id;
}

function targetSpec(config: ResolvedConfig, publish: ResolvedPublish): TargetSpec {
  const r = config.registries[publish.registry]!;
  return {
    name: publish.registry,
    host: r.host,
    apiHost: r.apiHost,
    authKey: r.authKey,
    scheme: r.scheme,
    isDockerHub: r.isDockerHub,
    ...(r.layout ? { layout: r.layout } : {}),
    ...(r.ecr ? { ecr: r.ecr } : {}),
    ...(r.repositories ? { repositories: r.repositories } : {}),
  };
}

function buildNode(config: ResolvedConfig, image: ResolvedImage, platform: Platform, facts: PlanFacts): BuildNode {
  const args: Record<string, BuildArg> = {};
  const deps: string[] = [];
  for (const [key, value] of Object.entries(image.args)) {
    if (!isImageRef(value)) {
      args[key] = value;
      continue;
    }
    const base = config.images[value.image]!;
    const publish = refTarget(config, base, value.registry);
    const names = renderPublishNames(base, publish);
    if (!names.ok) throw new Error(`unvalidated config: ${names.issues[0]?.message}`);
    const repo = names.names.platforms.find((n) => formatPlatform(n.platform) === formatPlatform(platform))!.refs[0]!.repository;
    const push = nodeId.push(base.name, platform, targetId(base, publish));
    const host = config.registries[publish.registry]!.host;
    // In a layout, skopeo's form `oci:<dir>:<repository>`, which direct assembly reads from disk.
    args[key] = { ref: { image: base.name, node: push, repository: isLayoutHost(host) ? `${host}:${repo}` : `${host}/${repo}` } };
    deps.push(push);
  }
  if (image.prepare) deps.unshift(nodeId.prepare(image.name, platform));
  const { builder, runs } = placeBuild(config.builders, platform, facts);
  const way = chooseBuildPath(image, facts.dockerfiles?.[image.name]);
  // An assembled (engine-free) build runs no engine: no layer cache to read or write.
  const cache = way.path === 'engine' ? planBuildCache(config, image, platform, facts.builder?.kind) : undefined;
  return {
    id: nodeId.build(image.name, platform),
    kind: 'build',
    image: image.name,
    deps,
    platform,
    context: image.context,
    dockerfile: image.dockerfile,
    args,
    ...(image.target ? { target: image.target } : {}),
    labels: { ...gitLabels(facts), ...image.labels },
    localTag: `multiarch/${image.name}:${image.tags[0]}-${platformSlug(platform)}`,
    builder: builder.name,
    ...(runs && way.path === 'engine' ? { runs } : {}),
    ...(way.path === 'direct' ? { direct: { epoch: buildEpoch(facts.git?.created) } } : way.reason ? { engineReason: way.reason } : {}),
    ...(Object.keys(image.secrets).length > 0 ? { secrets: image.secrets } : {}),
    ...(Object.keys(image.ssh).length > 0 ? { ssh: image.ssh } : {}),
    ...(facts.ownDirs?.[image.name]?.length ? { ignore: facts.ownDirs[image.name] } : {}),
    ...(cache ? { cache } : {}),
    action: { type: 'build' },
  };
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}

function builderOf(config: ResolvedConfig, build: BuildNode): ResolvedBuilder {
  return build.builder === config.builders.default.name ? config.builders.default : config.builders.platforms[build.builder]!;
}

function testNode(image: ResolvedImage, test: ResolvedTest, build: BuildNode): TestNode {
  const { platform } = build;
  const expect = test.expectOutput;
  const rendered = expect === undefined ? undefined : renderExpectation(expect, image, platform);
  return {
    id: nodeId.test(image.name, platform),
    kind: 'test',
    image: image.name,
    deps: [build.id],
    platform,
    build: build.id,
    ...(test.command ? { command: test.command } : {}),
    ...(rendered !== undefined ? { expectOutput: rendered } : {}),
    ...(test.http ? { http: test.http } : {}),
    timeoutSeconds: test.timeoutSeconds,
    builder: build.builder,
    ...(build.runs ? { runs: build.runs } : {}),
    action: { type: 'run' },
  };
}

function renderExpectation(expect: string, image: ResolvedImage, platform: Platform): string {
  const withUname = expect.replaceAll('{uname}', unameMachine(platform));
  const r = renderTemplate(withUname, templateVars(image.name, image.tags[0]!, platform));
  return r.ok ? r.value : withUname;
}

/** OCI labels on images and the same keys as annotations on indexes. */
function gitLabels(facts: PlanFacts): Record<string, string> {
  const git = facts.git ?? {};
  return {
    ...(git.source ? { 'org.opencontainers.image.source': git.source } : {}),
    ...(git.revision ? { 'org.opencontainers.image.revision': git.revision } : {}),
    ...(git.created ? { 'org.opencontainers.image.created': git.created } : {}),
  };
}
