/**
 * The plan JSON (already checked by its zod schema, plan-json-schema.ts) back into the Plan the
 * executor runs: the inverse of toPlanJson. What the document says once (a node's image, a ref's
 * repository and tag) is recovered from where it says it, and what cannot be recovered exactly is
 * reported as an issue with its path, never guessed. The facts kept are those apply reads (the
 * builder, engines, git, today); planning-only facts are not in a saved plan. Pure.
 */
import type { ResolvedBuilder } from '../../config/builders.js';
import { parsePlatform, type Platform } from '../../config/platform.js';
import { formatImageRef, isLayoutHost } from '../../config/registry-url.js';
import type { InputsDetail, PlanChanges, PublishedImage } from '../../plan/incremental/types.js';
import type { BuildNode, EngineFacts, IndexNode, Plan, PlanFacts, PlanNode, PushNode, ScanNode, TargetSpec } from '../../plan/nodes.js';
import type { PlanJsonChanges, PublishedImageJson, InputsDetailJson } from './plan-json-changes-schema.js';
import type { PlanJson, PlanJsonNode, PlanJsonTarget } from './plan-json-schema.js';
import { toCreation, toPolicy } from './plan-json-ecr.js';

export interface PlanJsonIssue {
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

export type PlanFromJson = { readonly ok: true; readonly plan: Plan } | { readonly ok: false; readonly issues: readonly PlanJsonIssue[] };

type Path = ReadonlyArray<string | number>;

export function fromPlanJson(json: PlanJson): PlanFromJson {
  const issues: PlanJsonIssue[] = [];
  const fail = (path: Path, message: string) => issues.push({ path, message });
  const nodes: Record<string, PlanNode> = {};
  // Kinds as the document states them: a node that does not convert is reported once, not again by every reference to it.
  const kinds = new Map(json.images.flatMap((image) => image.nodes.map((n) => [n.id, n.kind] as const)));
  const ids = new Set<string>();
  json.images.forEach((image, i) =>
    image.nodes.forEach((node, j) => {
      const at = ['images', i, 'nodes', j];
      if (ids.has(node.id)) fail([...at, 'id'], `node ${node.id} is listed twice`);
      ids.add(node.id);
      const internal = toNode(node, image.name, at, fail);
      if (internal) nodes[node.id] = internal;
    }),
  );
  checkGraph(json, kinds, fail);
  const changes = json.changes ? toChanges(json.changes, kinds, nodes, fail) : undefined;
  if (issues.length > 0) return { ok: false, issues };
  const builders: Record<string, ResolvedBuilder> = {};
  const engines: Record<string, EngineFacts> = {};
  for (const b of json.builders) {
    builders[b.name] = { name: b.name, docker: { ...(b.host !== null ? { host: b.host } : {}), ...(b.context !== null ? { context: b.context } : {}) }, ...(b.concurrency !== null ? { concurrency: b.concurrency } : {}) };
    if (b.engine) engines[b.name] = toEngine(b.engine);
  }
  const facts: PlanFacts = {
    ...(json.builder ? { builder: { ...json.builder, emulated: [...json.builder.emulated] } } : {}),
    ...(Object.keys(engines).length > 0 ? { engines } : {}),
    ...(json.git ? { git: withoutNulls(json.git) } : {}),
    ...(json.today !== null ? { today: json.today } : {}),
  };
  return {
    ok: true,
    plan: { version: 1, configFile: json.configFile, order: [...json.order], nodes, notes: json.notes.map((n) => ({ ...n })), builders, facts, ...(changes ? { changes } : {}) },
  };
}

type Kinds = ReadonlyMap<string, PlanNode['kind']>;

function checkGraph(json: PlanJson, kinds: Kinds, fail: (path: Path, message: string) => void): void {
  const seen = new Set<string>();
  json.order.forEach((id, i) => {
    if (!kinds.has(id)) fail(['order', i], `${id} is not a node of the plan`);
    if (seen.has(id)) fail(['order', i], `${id} is listed twice`);
    seen.add(id);
  });
  for (const id of kinds.keys()) if (!seen.has(id)) fail(['order'], `node ${id} is missing from the order`);
  json.images.forEach((image, i) =>
    image.nodes.forEach((node, j) => {
      node.deps.forEach((dep, k) => {
        if (!kinds.has(dep)) fail(['images', i, 'nodes', j, 'deps', k], `${dep} is not a node of the plan`);
      });
      // A merge's pushes read their image from a shard: their build is not in the plan.
      const built = node.kind === 'test' || node.kind === 'scan' || (node.kind === 'push' && !node.fromShard) ? node.build : undefined;
      if (built !== undefined && kinds.get(built) !== 'build') fail(['images', i, 'nodes', j, 'build'], `${built} is not a build node of the plan`);
      if (node.kind === 'push' && node.copyFrom !== null && kinds.get(node.copyFrom) !== 'push') fail(['images', i, 'nodes', j, 'copyFrom'], `${node.copyFrom} is not a push node of the plan`);
      if (node.kind === 'index') {
        node.children.forEach((c, k) => {
          if (kinds.get(c.node) !== 'push') fail(['images', i, 'nodes', j, 'children', k, 'node'], `${c.node} is not a push node of the plan`);
        });
      }
    }),
  );
}

function toNode(node: PlanJsonNode, image: string, at: Path, fail: (path: Path, message: string) => void): PlanNode | undefined {
  const platformOf = (text: string, where: Path): Platform | undefined => {
    const parsed = parsePlatform(text);
    if (parsed.ok) return parsed.platform;
    fail(where, parsed.message);
    return undefined;
  };
  const base = { id: node.id, image, deps: [...node.deps] };
  if (node.kind === 'index') return toIndexNode(node, base, at, fail);
  const platform = platformOf(node.platform, [...at, 'platform']);
  if (!platform) return undefined;
  switch (node.kind) {
    case 'prepare':
      return { ...base, kind: 'prepare', platform, context: node.context, source: { ...node.source }, outputs: [...node.outputs], action: { ...node.action } };
    case 'build':
      return toBuildNode(node, base, platform, at, fail);
    case 'test':
      return {
        ...base,
        kind: 'test',
        platform,
        build: node.build,
        ...(node.command !== null ? { command: [...node.command] } : {}),
        ...(node.expectOutput !== null ? { expectOutput: node.expectOutput } : {}),
        ...(node.http !== null ? { http: { ...node.http } } : {}),
        timeoutSeconds: node.timeoutSeconds,
        builder: node.builder,
        ...(node.runs !== null ? { runs: node.runs } : {}),
        action: { ...node.action },
      };
    case 'scan':
      return toScanNode(node, base, platform, at, fail);
    case 'push':
      return toPushNode(node, base, platform, at, fail);
  }
}

type Base = { readonly id: string; readonly image: string; readonly deps: readonly string[] };

function toBuildNode(node: Extract<PlanJsonNode, { kind: 'build' }>, base: Base, platform: Platform, at: Path, fail: (path: Path, message: string) => void): BuildNode | undefined {
  if (node.path === 'direct' && node.epoch === null) {
    fail([...at, 'epoch'], 'a build on the direct path needs its epoch');
    return undefined;
  }
  const action = node.action;
  const secrets = Object.entries(node.secrets);
  const ssh = Object.entries(node.ssh);
  return {
    ...base,
    kind: 'build',
    platform,
    context: node.context,
    dockerfile: node.dockerfile,
    args: Object.fromEntries(Object.entries(node.args).map(([k, v]) => [k, typeof v === 'string' ? v : { ref: { ...v.ref } }])),
    ...(node.target !== null ? { target: node.target } : {}),
    labels: { ...node.labels },
    localTag: node.localTag,
    builder: node.builder,
    ...(node.runs !== null ? { runs: node.runs } : {}),
    ...(node.cache !== null ? { cache: { from: node.cache.from.map((s) => ({ ...s })), to: node.cache.to.map((t) => ({ ...t })), ...(node.cache.none !== null ? { none: node.cache.none } : {}) } } : {}),
    ...(secrets.length > 0 ? { secrets: Object.fromEntries(secrets.map(([id, s]) => [id, { ...s }])) } : {}),
    ...(ssh.length > 0 ? { ssh: Object.fromEntries(ssh.map(([id, s]) => [id, s.socket !== null ? { socket: s.socket } : {}])) } : {}),
    ...(node.path === 'direct' ? { direct: { epoch: node.epoch! } } : {}),
    ...(node.engineReason !== null ? { engineReason: node.engineReason } : {}),
    ...(node.ignore !== null ? { ignore: [...node.ignore] } : {}),
    action:
      action.type === 'build'
        ? { type: 'build', ...(action.record ? { record: { detail: toDetail(action.record.detail) } } : {}) }
        : { type: 'reuse', published: toPublished(action.published), inputs: { digest: action.inputs.digest, detail: toDetail(action.inputs.detail) }, why: action.why },
  };
}

function toScanNode(node: Extract<PlanJsonNode, { kind: 'scan' }>, base: Base, platform: Platform, at: Path, fail: (path: Path, message: string) => void): ScanNode | undefined {
  const scannerFacts: ScanNode['scannerFacts'] =
    node.problem !== null
      ? { available: false, problem: node.problem }
      : node.scannerVersion !== null && node.dbUpdate !== null
        ? {
            available: true,
            version: node.scannerVersion,
            ...(node.db !== null ? { db: { version: node.db, ...(node.dbUpdatedAt !== null ? { updatedAt: node.dbUpdatedAt } : {}) } } : {}),
            dbUpdate: node.dbUpdate,
          }
        : undefined;
  const c = node.cache;
  let cache: ScanNode['cache'];
  if (c && c.state !== 'none') {
    const versions = c.state === 'new-db' || c.state === 'new-scanner';
    if (c.imageId === null || (versions && (c.from === null || c.to === null))) {
      fail([...at, 'cache'], `a ${c.state} scan cache names the image${versions ? ' and the versions it moves from and to' : ''}`);
      return undefined;
    }
    cache = versions ? { state: c.state, imageId: c.imageId, from: c.from!, to: c.to! } : { state: c.state as 'reuse' | 'db-update', imageId: c.imageId };
  } else if (c) cache = { state: 'none' };
  const { options } = node;
  return {
    ...base,
    kind: 'scan',
    platform,
    build: node.build,
    scanner: node.scanner,
    policy: { failOn: node.policy.failOn, ignoreUnfixed: node.policy.ignoreUnfixed, exceptions: node.policy.exceptions.map((e) => ({ ...e })) },
    timeoutSeconds: node.timeoutSeconds,
    options: { ...(options.cacheDir !== null ? { cacheDir: options.cacheDir } : {}), offline: options.offline, ...(options.dbRepository !== null ? { dbRepository: options.dbRepository } : {}) },
    dockerfile: node.dockerfile,
    ...(scannerFacts ? { scannerFacts } : {}),
    ...(cache ? { cache } : {}),
    action: { ...node.action },
  };
}

function toPushNode(node: Extract<PlanJsonNode, { kind: 'push' }>, base: Base, platform: Platform, at: Path, fail: (path: Path, message: string) => void): PushNode | undefined {
  const target = toTarget(node.target);
  const tagRef = (ref: string, where: Path) => splitTagRef(target, ref) ?? void fail(where, `${ref} is not a tag on ${target.host} (host/repository:tag)`);
  const refs = node.refs.map((r, k) => tagRef(r, [...at, 'refs', k]));
  const digestRepositories = repositoriesOn(target, node.digestRepositories, [...at, 'digestRepositories'], fail);
  const action = node.action;
  let pushAction: PushNode['action'] | undefined;
  if (action.type === 'push') pushAction = { type: 'push' };
  else if (action.type === 'skip') pushAction = { type: 'skip', published: toPublished(action.published) };
  else {
    const write = action.write.map((r, k) => tagRef(r, [...at, 'action', 'write', k]));
    const repos = repositoriesOn(target, action.digestRepositories, [...at, 'action', 'digestRepositories'], fail);
    const from = { ref: action.from.ref, target: toTarget(action.from.target), repository: action.from.repository, digest: action.from.digest };
    if (write.every(Boolean) && repos) pushAction = { type: action.type, published: toPublished(action.published), from, write: write.map((w) => w!), digestRepositories: repos };
  }
  if (!refs.every(Boolean) || !digestRepositories || !pushAction) return undefined;
  return {
    ...base,
    kind: 'push',
    platform,
    build: node.build,
    target,
    format: node.format,
    refs: refs.map((r) => r!),
    digestRepositories,
    ...(node.copyFrom !== null ? { copyFrom: node.copyFrom } : {}),
    ...(node.fromShard ? { fromShard: { ...node.fromShard, ...(node.fromShard.predicates ? { predicates: { ...node.fromShard.predicates } } : {}) } } : {}),
    ...(node.annotations !== null ? { annotations: { ...node.annotations } } : {}),
    action: pushAction,
    ...(node.sign ? { sign: { keyId: node.sign.keyId } } : {}),
    ...(node.attest ? { attest: { provenance: node.attest.provenance, ...(node.attest.sbom !== null ? { sbom: node.attest.sbom } : {}) } } : {}),
    ...(node.createRepositories ? { createRepositories: node.createRepositories.map(toCreation) } : {}),
  };
}

function toIndexNode(node: Extract<PlanJsonNode, { kind: 'index' }>, base: Base, at: Path, fail: (path: Path, message: string) => void): IndexNode | undefined {
  const target = toTarget(node.target);
  const ref = splitTagRef(target, node.ref);
  if (!ref) fail([...at, 'ref'], `${node.ref} is not a tag on ${target.host} (host/repository:tag)`);
  const children: Array<IndexNode['children'][number]> = [];
  node.children.forEach((c, k) => {
    const parsed = parsePlatform(c.platform);
    if (!parsed.ok) fail([...at, 'children', k, 'platform'], parsed.message);
    else children.push({ platform: parsed.platform, push: c.node, ...(c.annotations !== null ? { annotations: { ...c.annotations } } : {}) });
  });
  if (!ref || children.length !== node.children.length) return undefined;
  return {
    ...base,
    kind: 'index',
    tag: node.tag,
    target,
    format: node.format,
    repository: ref.repository,
    indexTag: ref.tag,
    children,
    annotations: { ...node.annotations },
    ...(node.sign ? { sign: { keyId: node.sign.keyId } } : {}),
    action: node.action.type === 'write' ? { type: 'write' } : { type: 'skip', current: node.action.current },
    ...(node.createRepositories ? { createRepositories: node.createRepositories.map(toCreation) } : {}),
  };
}

function toChanges(json: PlanJsonChanges, kinds: Kinds, nodes: Readonly<Record<string, PlanNode>>, fail: (path: Path, message: string) => void): PlanChanges {
  const platforms: Record<string, PlanChanges['platforms'][string]> = {};
  const pushes: Record<string, PlanChanges['pushes'][string]> = {};
  json.platforms.forEach((p, i) => {
    if (kinds.get(p.node) !== 'build') fail(['changes', 'platforms', i, 'node'], `${p.node} is not a build node of the plan`);
    platforms[p.node] = {
      image: p.image,
      platform: p.platform,
      action: p.action,
      inputs: p.inputs,
      detail: toDetail(p.detail),
      reasons: [...p.reasons],
      ...(p.current ? { current: toPublished(p.current) } : {}),
    };
    p.pushes.forEach((c, k) => {
      if (kinds.get(c.node) !== 'push') return void fail(['changes', 'platforms', i, 'pushes', k, 'node'], `${c.node} is not a push node of the plan`);
      const push = nodes[c.node];
      // A push node that did not convert is reported already.
      if (push?.kind !== 'push') return;
      const repos = repositoriesOn(push.target, c.digestRepositories, ['changes', 'platforms', i, 'pushes', k, 'digestRepositories'], fail) ?? [];
      pushes[c.node] = { action: c.action, ...(c.from ? { from: { ...c.from } } : {}), write: [...c.write], digestRepositories: repos };
    });
  });
  const indexes: Record<string, PlanChanges['indexes'][string]> = {};
  json.indexes.forEach((x, i) => {
    if (kinds.get(x.node) !== 'index') fail(['changes', 'indexes', i, 'node'], `${x.node} is not an index node of the plan`);
    indexes[x.node] = { action: x.action, ref: x.ref, children: x.children.map((c) => ({ ...c })), ...(x.current !== null ? { current: x.current } : {}) };
  });
  const { hasChanges: _derived, ...summary } = json.summary;
  return { source: json.state, platforms, pushes, indexes, summary, fingerprint: { inputs: { ...json.fingerprint.inputs }, tags: { ...json.fingerprint.tags } } };
}

/** `host/repository:tag` on this target (`oci:/dir:repository:tag` for a layout), or undefined. */
function splitTagRef(target: TargetSpec, ref: string): { repository: string; tag: string } | undefined {
  const prefix = isLayoutHost(target.host) ? `${target.host}:` : `${target.host}/`;
  if (!ref.startsWith(prefix)) return undefined;
  const rest = ref.slice(prefix.length);
  const colon = rest.lastIndexOf(':');
  const split = { repository: rest.slice(0, colon), tag: rest.slice(colon + 1) };
  return colon > 0 && split.tag && formatImageRef(target, split.repository, split.tag) === ref ? split : undefined;
}

/** `host/repository` entries on this target, as repositories; undefined (reported) when one is elsewhere. */
function repositoriesOn(target: TargetSpec, list: readonly string[], at: Path, fail: (path: Path, message: string) => void): string[] | undefined {
  const prefix = `${target.host}/`;
  const bad = list.findIndex((r) => !r.startsWith(prefix) || r.length === prefix.length);
  if (bad >= 0) {
    fail([...at, bad], `${list[bad]} is not a repository on ${target.host}`);
    return undefined;
  }
  return list.map((r) => r.slice(prefix.length));
}

function toTarget(t: PlanJsonTarget): TargetSpec {
  return {
    name: t.name,
    host: t.host,
    apiHost: t.apiHost,
    authKey: t.authKey,
    scheme: t.scheme,
    isDockerHub: t.isDockerHub,
    ...(t.layout !== null ? { layout: t.layout } : {}),
    ...(t.ecr ? { ecr: { region: t.ecr.region, ...(t.ecr.profile !== null ? { profile: t.ecr.profile } : {}) } } : {}),
    ...(t.ecrRepositories ? { repositories: toPolicy(t.ecrRepositories) } : {}),
  };
}

function toEngine(e: NonNullable<PlanJson['builders'][number]['engine']>): EngineFacts {
  if (!e.reachable) return { reachable: false, problem: e.problem };
  return {
    reachable: true,
    ...(e.version !== null ? { version: e.version } : {}),
    nativePlatform: e.nativePlatform,
    ...(e.emulated !== null ? { emulated: [...e.emulated] } : {}),
    ...(e.host !== null ? { host: e.host } : {}),
  };
}

function toPublished(p: PublishedImageJson): PublishedImage {
  return { ...p };
}

function toDetail(d: InputsDetailJson): InputsDetail {
  return { ...d, args: { ...d.args }, bases: { ...d.bases }, labels: { ...d.labels } };
}

function withoutNulls<T extends Record<string, string | null>>(o: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null)) as { [K in keyof T]?: string };
}
