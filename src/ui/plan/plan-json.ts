/**
 * The plan JSON (docs/plan-json.md, src/ui/plan-json-schema.ts): what `plan --json` prints and
 * `plan --out` saves. Unlike the internal Plan it lists images with their nodes, uses `null` for
 * absent fields, and names every ref the plan would write together with its node; like it, every
 * node carries its action, so `apply plan.json` (plan-json-read.ts) does exactly what it shows.
 * Secret-looking build args are `***` (plan/secret-args.ts). Pure.
 */
import { cacheJson } from './plan-cache.js';
import { formatImageRef } from '../../config/registry-url.js';
import { formatPlatform } from '../../config/platform.js';
import { describeNode, nodeRefs } from '../../plan/describe-node.js';
import { engineFacts } from '../../plan/engines.js';
import type { BuildNode, Plan, PlanNode, PushNode, TargetSpec } from '../../plan/nodes.js';
import { redactArgs } from '../../plan/secret-args.js';
import type { ScanNode } from '../../plan/scan-node.js';
import { detailJson, publishedJson, toChangesJson } from './plan-json-changes.js';
import { PLAN_JSON_VERSION, type PlanJson, type PlanJsonBuilder, type PlanJsonNode, type PlanJsonTarget } from './plan-json-schema.js';
import { imagesInOrder } from './plan-text.js';
import { creationJson, policyJson, repositoriesJson } from './plan-json-ecr.js';

export function toPlanJson(plan: Plan): PlanJson {
  const nodes = plan.order.map((id) => plan.nodes[id]!);
  const refs: PlanJson['refs'] = nodes.flatMap((node) =>
    node.kind === 'push' || node.kind === 'index'
      ? nodeRefs(node).map((ref) => ({
          ref,
          kind: node.kind === 'push' ? ('platform' as const) : ('index' as const),
          node: node.id,
          image: node.image,
          platform: node.kind === 'push' ? formatPlatform(node.platform) : null,
          target: node.target.name,
        }))
      : [],
  );
  const count = (kind: PlanNode['kind']) => nodes.filter((n) => n.kind === kind).length;
  const { builder, git } = plan.facts;
  const byImage = new Map<string, PlanNode[]>();
  for (const n of nodes) byImage.set(n.image, [...(byImage.get(n.image) ?? []), n]);
  return {
    schemaVersion: PLAN_JSON_VERSION,
    configFile: plan.configFile,
    builder: builder ? { kind: builder.kind, description: builder.description, nativePlatform: builder.nativePlatform, emulated: [...builder.emulated] } : null,
    git: git ? { revision: git.revision ?? null, source: git.source ?? null, created: git.created ?? null } : null,
    today: plan.facts.today ?? null,
    builders: Object.values(plan.builders).map((b) => builderJson(plan, b.name)),
    images: imagesInOrder(plan).map((name) => {
      const mine = byImage.get(name) ?? [];
      return {
        name,
        // A merge plan has no builds: its platforms are its pushes'.
        platforms: [...new Set(mine.flatMap((n) => (n.kind === 'build' || (n.kind === 'push' && !mine.some((b) => b.kind === 'build')) ? [formatPlatform(n.platform)] : [])))],
        nodes: mine.map(toNodeJson),
      };
    }),
    order: [...plan.order],
    refs,
    notes: plan.notes.map((n) => ({ image: n.image, message: n.message })),
    totals: { prepares: count('prepare'), builds: count('build'), tests: count('test'), scans: count('scan'), pushes: count('push'), indexes: count('index'), refs: refs.length },
    changes: toChangesJson(plan),
    repositories: repositoriesJson(plan),
  };
}

function toNodeJson(node: PlanNode): PlanJsonNode {
  const base = { id: node.id, label: describeNode(node), deps: [...node.deps] };
  switch (node.kind) {
    case 'prepare':
      return {
        ...base,
        kind: 'prepare',
        platform: formatPlatform(node.platform),
        context: node.context,
        source: { hash: node.source.hash, description: node.source.description },
        outputs: [...node.outputs],
        action: { ...node.action },
      };
    case 'build':
      return { ...base, ...buildNodeJson(node) };
    case 'test':
      return {
        ...base,
        kind: 'test',
        platform: formatPlatform(node.platform),
        build: node.build,
        command: node.command ? [...node.command] : null,
        expectOutput: node.expectOutput ?? null,
        http: node.http ? { ...node.http } : null,
        timeoutSeconds: node.timeoutSeconds,
        builder: node.builder,
        runs: node.runs ?? null,
        action: { ...node.action },
      };
    case 'scan':
      return { ...base, ...scanNodeJson(node) };
    case 'push':
      return { ...base, ...pushNodeJson(node) };
    case 'index':
      return {
        ...base,
        kind: 'index',
        tag: node.tag,
        target: targetJson(node.target),
        format: node.format,
        ref: nodeRefs(node)[0]!,
        children: node.children.map((c) => ({ platform: formatPlatform(c.platform), node: c.push, annotations: c.annotations ? { ...c.annotations } : null })),
        annotations: { ...node.annotations },
        ...(node.sign ? { sign: { keyId: node.sign.keyId } } : {}),
        ...(node.createRepositories ? { createRepositories: node.createRepositories.map(creationJson) } : {}),
        action: node.action.type === 'write' ? { type: 'write' } : { type: 'skip', current: node.action.current },
      };
  }
}

type KindJson<K extends PlanNode['kind']> = Omit<Extract<PlanJsonNode, { kind: K }>, 'id' | 'label' | 'deps'>;

function buildNodeJson(node: BuildNode): KindJson<'build'> {
  const action = node.action;
  return {
    kind: 'build',
    platform: formatPlatform(node.platform),
    runs: node.runs ?? null,
    path: node.direct ? 'direct' : 'engine',
    epoch: node.direct ? node.direct.epoch : null,
    engineReason: node.engineReason ?? null,
    context: node.context,
    dockerfile: node.dockerfile,
    target: node.target ?? null,
    args: redactArgs(node.args),
    labels: { ...node.labels },
    localTag: node.localTag,
    builder: node.builder,
    cache: cacheJson(node.cache),
    secrets: Object.fromEntries(Object.entries(node.secrets ?? {}).map(([id, s]) => [id, 'env' in s ? { env: s.env } : { file: s.file }])),
    ssh: Object.fromEntries(Object.entries(node.ssh ?? {}).map(([id, s]) => [id, { socket: s.socket ?? null }])),
    ignore: node.ignore ? [...node.ignore] : null,
    action:
      action.type === 'build'
        ? { type: 'build', record: action.record ? { detail: detailJson(action.record.detail) } : null }
        : { type: 'reuse', published: publishedJson(action.published), inputs: { digest: action.inputs.digest, detail: detailJson(action.inputs.detail) }, why: action.why },
  };
}

function pushNodeJson(node: PushNode): KindJson<'push'> {
  const action = node.action;
  const ref = (r: { repository: string; tag: string }) => formatImageRef(node.target, r.repository, r.tag);
  return {
    kind: 'push',
    platform: formatPlatform(node.platform),
    build: node.build,
    target: targetJson(node.target),
    format: node.format,
    refs: nodeRefs(node),
    digestRepositories: node.digestRepositories.map((repo) => `${node.target.host}/${repo}`),
    copyFrom: node.copyFrom ?? null,
    ...(node.fromShard ? { fromShard: fromShardJson(node.fromShard) } : {}),
    annotations: node.annotations ? { ...node.annotations } : null,
    ...(node.sign ? { sign: { keyId: node.sign.keyId } } : {}),
    ...(node.attest ? { attest: { provenance: node.attest.provenance, sbom: node.attest.sbom ?? null } } : {}),
    ...(node.createRepositories ? { createRepositories: node.createRepositories.map(creationJson) } : {}),
    action:
      action.type === 'push'
        ? { type: 'push' }
        : action.type === 'skip'
          ? { type: 'skip', published: publishedJson(action.published) }
          : {
              type: action.type,
              published: publishedJson(action.published),
              from: { ref: action.from.ref, target: targetJson(action.from.target), repository: action.from.repository, digest: action.from.digest },
              write: action.write.map(ref),
              digestRepositories: action.digestRepositories.map((repo) => `${node.target.host}/${repo}`),
            },
  };
}

/** The shard a merge reads the image from, and the predicates its shard made (when it made any). */
function fromShardJson(f: NonNullable<PushNode['fromShard']>): NonNullable<KindJson<'push'>['fromShard']> {
  return { layout: f.layout, repository: f.repository, digest: f.digest, ...(f.predicates ? { predicates: { ...f.predicates } } : {}) };
}

/** Connection details only: credentials are never in a plan (they are looked up by `authKey`). */
function targetJson(t: TargetSpec): PlanJsonTarget {
  return {
    name: t.name,
    host: t.host,
    apiHost: t.apiHost,
    authKey: t.authKey,
    scheme: t.scheme,
    isDockerHub: t.isDockerHub,
    layout: t.layout ?? null,
    ecr: t.ecr ? { region: t.ecr.region, profile: t.ecr.profile ?? null } : null,
    ...(t.repositories ? { ecrRepositories: policyJson(t.repositories) } : {}),
  };
}

function builderJson(plan: Plan, name: string): PlanJsonBuilder {
  const builder = plan.builders[name]!;
  const engine = engineFacts(builder, plan.facts);
  return {
    name,
    host: builder.docker.host ?? null,
    context: builder.docker.context ?? null,
    concurrency: builder.concurrency ?? null,
    engine: !engine
      ? null
      : engine.reachable
        ? { reachable: true, version: engine.version ?? null, nativePlatform: engine.nativePlatform, emulated: engine.emulated ? [...engine.emulated] : null, host: engine.host ?? null }
        : { reachable: false, problem: engine.problem },
  };
}

function scanNodeJson(node: ScanNode): KindJson<'scan'> {
  const facts = node.scannerFacts;
  const cache = node.cache;
  return {
    kind: 'scan',
    platform: formatPlatform(node.platform),
    scanner: node.scanner,
    build: node.build,
    scannerVersion: facts?.available ? facts.version : null,
    db: facts?.available ? (facts.db?.version ?? null) : null,
    dbUpdatedAt: facts?.available ? (facts.db?.updatedAt ?? null) : null,
    dbUpdate: facts?.available ? facts.dbUpdate : null,
    problem: facts && !facts.available ? facts.problem : null,
    policy: { failOn: node.policy.failOn, ignoreUnfixed: node.policy.ignoreUnfixed, exceptions: node.policy.exceptions.map((e) => ({ id: e.id, until: e.until, reason: e.reason, source: e.source })) },
    options: { cacheDir: node.options.cacheDir ?? null, offline: node.options.offline, dbRepository: node.options.dbRepository ?? null },
    dockerfile: node.dockerfile,
    timeoutSeconds: node.timeoutSeconds,
    cache: cache
      ? {
          state: cache.state,
          imageId: 'imageId' in cache ? cache.imageId : null,
          from: 'from' in cache ? cache.from : null,
          to: 'to' in cache ? cache.to : null,
        }
      : null,
    action: { ...node.action },
  };
}
