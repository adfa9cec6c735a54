/**
 * `multiarch plan --json`: the plan in a stable, documented shape for scripts (docs/plan-json.md,
 * docs/schema/plan.schema.json). Unlike the internal Plan it lists images with their nodes, uses
 * `null` for absent fields, and names every ref the plan would write together with its node. Pure.
 */
import { cacheJson, type PlanJsonCache } from './plan-cache.js';
import { formatPlatform } from '../config/platform.js';
import { describeNode, nodeRefs } from '../plan/describe-node.js';
import { engineFacts } from '../plan/engines.js';
import type { ScanPolicy } from '../config/scan.js';
import type { BuildArg, Plan, PlanNode } from '../plan/nodes.js';
import { redactArgs } from '../plan/secret-args.js';
import type { ScanCacheOutlook, ScanNode } from '../plan/scan-node.js';
import { toChangesJson, type PlanJsonChanges } from './plan-json-changes.js';
import { imagesInOrder } from './plan-text.js';
import { repositoriesJson, type PlanJsonRepository } from './plan-repositories.js';

export interface PlanJsonTarget {
  readonly name: string;
  readonly host: string;
}

interface NodeJsonBase {
  readonly id: string;
  readonly label: string;
  readonly deps: readonly string[];
}

export type PlanJsonNode =
  | (NodeJsonBase & {
      readonly kind: 'prepare';
      readonly platform: string;
      readonly context: string;
      readonly source: { readonly hash: string; readonly description: string };
      readonly outputs: readonly string[];
    })
  | (NodeJsonBase & {
      readonly kind: 'build';
      readonly platform: string;
      readonly runs: 'native' | 'emulated' | 'no-emulator' | null;
      /** `direct`: assembled without an engine; `engine`: built by the builder's engine. */
      readonly path: 'direct' | 'engine';
      /** For the engine path: the instruction (and line) or setting that needs the engine. */
      readonly engineReason: string | null;
      readonly context: string;
      readonly dockerfile: string;
      readonly target: string | null;
      readonly args: Readonly<Record<string, BuildArg>>;
      readonly labels: Readonly<Record<string, string>>;
      readonly localTag: string;
      readonly builder: string;
      /** The layer cache it reads and writes; null: none (a saved plan from before caching). */
      readonly cache?: PlanJsonCache | null;
    })
  | (NodeJsonBase & {
      readonly kind: 'test';
      readonly platform: string;
      readonly command: readonly string[] | null;
      readonly expectOutput: string | null;
      readonly http: { readonly port: number; readonly path: string; readonly expectStatus: number; readonly timeoutSeconds: number } | null;
      readonly timeoutSeconds: number;
      readonly builder: string;
    })
  | (NodeJsonBase & {
      readonly kind: 'scan';
      readonly platform: string;
      readonly scanner: 'trivy' | 'grype';
      readonly scannerVersion: string | null;
      readonly db: string | null;
      /** Why the scanner cannot run, when planning found it missing. */
      readonly problem: string | null;
      readonly policy: ScanPolicy;
      readonly timeoutSeconds: number;
      readonly cache: { readonly state: ScanCacheOutlook['state']; readonly imageId: string | null; readonly from: string | null; readonly to: string | null } | null;
    })
  | (NodeJsonBase & {
      readonly kind: 'push';
      readonly platform: string;
      readonly target: PlanJsonTarget;
      readonly format: 'oci' | 'docker';
      readonly refs: readonly string[];
      readonly digestRepositories: readonly string[];
      /** Fan-out: the push node whose manifest and blobs this one copies (null: from the engine). */
      readonly copyFrom: string | null;
      /** `apply --merge`: the shard layout and manifest digest the image is read from. */
      readonly fromShard?: { readonly layout: string; readonly digest: string };
      /** Signed by the key with this id (sha256 of its public key); absent when not signed. */
      readonly sign?: { readonly keyId: string };
      /** Attestations written on the pushed digest; absent when none. */
      readonly attest?: { readonly provenance: boolean; readonly sbom: 'cyclonedx' | 'spdx' | null };
    })
  | (NodeJsonBase & {
      readonly kind: 'index';
      readonly tag: string;
      readonly target: PlanJsonTarget;
      readonly format: 'oci' | 'docker';
      readonly ref: string;
      readonly children: ReadonlyArray<{ readonly platform: string; readonly node: string }>;
      readonly annotations: Readonly<Record<string, string>>;
      readonly sign?: { readonly keyId: string };
    });

export interface PlanJsonRef {
  readonly ref: string;
  readonly kind: 'platform' | 'index';
  /** The push or index node that writes it. */
  readonly node: string;
  readonly image: string;
  /** Platform images only. */
  readonly platform: string | null;
  readonly target: string;
}

export interface PlanJsonBuilder {
  readonly name: string;
  readonly host: string | null;
  readonly context: string | null;
  readonly concurrency: number | null;
  readonly engine:
    | { readonly reachable: true; readonly version: string | null; readonly nativePlatform: string; readonly emulated: readonly string[] | null }
    | { readonly reachable: false; readonly problem: string }
    | null;
}

export interface PlanJson {
  readonly schemaVersion: 1;
  readonly configFile: string;
  readonly builder: { readonly kind: string; readonly description: string; readonly nativePlatform: string; readonly emulated: readonly string[] } | null;
  readonly git: { readonly revision: string | null; readonly source: string | null; readonly created: string | null } | null;
  /** The builders the plan's builds run on, with what was seen of their engines. */
  readonly builders: readonly PlanJsonBuilder[];
  readonly images: ReadonlyArray<{ readonly name: string; readonly platforms: readonly string[]; readonly nodes: readonly PlanJsonNode[] }>;
  readonly order: readonly string[];
  readonly refs: readonly PlanJsonRef[];
  readonly notes: ReadonlyArray<{ readonly image: string; readonly message: string }>;
  readonly totals: { readonly prepares: number; readonly builds: number; readonly tests: number; readonly scans: number; readonly pushes: number; readonly indexes: number; readonly refs: number };
  /** What apply changes and skips, and why; null when the plan was made without registry state. */
  readonly changes: PlanJsonChanges | null;
  /** ECR repositories apply creates before the first push into them (`registries.<name>.ecr`). */
  readonly repositories: readonly PlanJsonRepository[];
}

export function toPlanJson(plan: Plan): PlanJson {
  const nodes = plan.order.map((id) => plan.nodes[id]!);
  const refs: PlanJsonRef[] = nodes.flatMap((node) =>
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
    schemaVersion: 1,
    configFile: plan.configFile,
    builder: builder ? { kind: builder.kind, description: builder.description, nativePlatform: builder.nativePlatform, emulated: [...builder.emulated] } : null,
    git: git ? { revision: git.revision ?? null, source: git.source ?? null, created: git.created ?? null } : null,
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
      };
    case 'build':
      return {
        ...base,
        kind: 'build',
        platform: formatPlatform(node.platform),
        runs: node.runs ?? null,
        path: node.direct ? 'direct' : 'engine',
        engineReason: node.engineReason ?? null,
        context: node.context,
        dockerfile: node.dockerfile,
        target: node.target ?? null,
        args: redactArgs(node.args),
        labels: { ...node.labels },
        localTag: node.localTag,
        builder: node.builder,
        cache: cacheJson(node.cache),
      };
    case 'test':
      return {
        ...base,
        kind: 'test',
        platform: formatPlatform(node.platform),
        command: node.command ? [...node.command] : null,
        expectOutput: node.expectOutput ?? null,
        http: node.http ? { ...node.http } : null,
        timeoutSeconds: node.timeoutSeconds,
        builder: node.builder,
      };
    case 'scan':
      return { ...base, ...scanNodeJson(node) };
    case 'push':
      return {
        ...base,
        kind: 'push',
        platform: formatPlatform(node.platform),
        target: { name: node.target.name, host: node.target.host },
        format: node.format,
        refs: nodeRefs(node),
        digestRepositories: node.digestRepositories.map((repo) => `${node.target.host}/${repo}`),
        copyFrom: node.copyFrom ?? null,
        ...(node.fromShard ? { fromShard: { layout: node.fromShard.layout, digest: node.fromShard.digest } } : {}),
        ...(node.sign ? { sign: { keyId: node.sign.keyId } } : {}),
        ...(node.attest ? { attest: { provenance: node.attest.provenance, sbom: node.attest.sbom ?? null } } : {}),
      };
    case 'index':
      return {
        ...base,
        kind: 'index',
        tag: node.tag,
        target: { name: node.target.name, host: node.target.host },
        format: node.format,
        ref: nodeRefs(node)[0]!,
        children: node.children.map((c) => ({ platform: formatPlatform(c.platform), node: c.push })),
        annotations: { ...node.annotations },
        ...(node.sign ? { sign: { keyId: node.sign.keyId } } : {}),
      };
  }
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
        ? { reachable: true, version: engine.version ?? null, nativePlatform: engine.nativePlatform, emulated: engine.emulated ? [...engine.emulated] : null }
        : { reachable: false, problem: engine.problem },
  };
}

function scanNodeJson(node: ScanNode): Omit<Extract<PlanJsonNode, { kind: 'scan' }>, keyof NodeJsonBase> {
  const facts = node.scannerFacts;
  const cache = node.cache;
  return {
    kind: 'scan',
    platform: formatPlatform(node.platform),
    scanner: node.scanner,
    scannerVersion: facts?.available ? facts.version : null,
    db: facts?.available ? (facts.db?.version ?? null) : null,
    problem: facts && !facts.available ? facts.problem : null,
    policy: { failOn: node.policy.failOn, ignoreUnfixed: node.policy.ignoreUnfixed, exceptions: node.policy.exceptions.map((e) => ({ ...e })) },
    timeoutSeconds: node.timeoutSeconds,
    cache: cache
      ? {
          state: cache.state,
          imageId: 'imageId' in cache ? cache.imageId : null,
          from: 'from' in cache ? cache.from : null,
          to: 'to' in cache ? cache.to : null,
        }
      : null,
  };
}
