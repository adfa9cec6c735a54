/**
 * Signatures and attestations around the push and index steps: once a platform image is in every
 * repository of its push, its digest is signed there (and attested: SLSA provenance, SBOM); once
 * an index is written, its digest is signed and the read-back verifies every signature of the
 * index and its children by key. Whatever already verifies is left alone, so a second apply writes
 * nothing; a fan-out copy carries the first target's very signature and attestations. Wraps any
 * step table (incremental or not), so a push that is current still gets what it lacks. Edge.
 */
import { formatImageRef } from '../../config/registry-url.js';
import { MultiarchError } from '../../errors/multiarch-error.js';
import type { IndexNode, PushNode } from '../../plan/nodes.js';
import type { ScannerOptions, ScannerName } from '../../config/scan.js';
import { attach, type AttachResult, type AttachWants } from '../../supply/attach.js';
import { createProvenance } from '../../supply/provenance.js';
import type { PushProvenance } from '../../supply/provenance-material.js';
import { readAttached } from '../../supply/read-attached.js';
import type { SigningKey } from '../../supply/signing-key.js';
import { CYCLONEDX_PREDICATE, SLSA_PROVENANCE_V1, SPDX_PREDICATE, wantedPredicates } from '../../supply/statement.js';
import { formatPlatform } from '../../config/platform.js';
import { shardTarget } from '../../plan/shard-plan.js';
import type { StepContext, StepResult, StepTable } from '../execute.js';
import type { StorePool } from '../../publish/store-pool.js';
import type { ImageExports } from './image-exports.js';
import type { BuildOutput, BuiltImage, IndexOutput, PushOutput } from './step-outputs.js';

/** The adapters signing uses besides its own services: the targets' stores, the images' export. */
export interface SupplyDeps {
  readonly stores: StorePool;
  readonly images: Pick<ImageExports, 'writeArchive'>;
}

/** What makes a push's predicates (no key: a shard makes them too). */
export interface AttestServices {
  /** Push node id → what its provenance is made of. */
  readonly provenance: Readonly<Record<string, PushProvenance>>;
  /** Push node id → the scanner that writes its SBOM (the image's scan settings). */
  readonly sbomScanners: Readonly<Record<string, { readonly scanner: ScannerName; readonly options: ScannerOptions; readonly timeoutSeconds: number }>>;
  /** The SBOM of the image `writeArchive` writes (its one export this run). */
  makeSbom(scanner: AttestServices['sbomScanners'][string], build: BuiltImage, format: 'cyclonedx' | 'spdx', signal: AbortSignal, writeArchive: (file: string) => Promise<void>): Promise<unknown>;
  readonly startedOn: string;
  now(): string;
}

export interface SupplyServices extends AttestServices {
  readonly key: SigningKey;
}

type Predicate = AttachWants['predicates'][number];

export function withSupplyChain(steps: StepTable, deps: SupplyDeps, supply: SupplyServices | undefined): StepTable {
  if (!supply) return steps;
  return {
    ...steps,
    push: async (node, ctx) => {
      const result = (await steps.push(node, ctx)) as StepResult<PushOutput>;
      if (!node.sign) return result;
      return withSummary(result, await signPush(deps, supply, node, result.output, ctx));
    },
    index: async (node, ctx) => {
      const result = (await steps.index(node, ctx)) as StepResult<IndexOutput>;
      if (!node.sign) return result;
      return withSummary(result, await signIndex(deps, supply, node, result.output.digest, ctx));
    },
  };
}

async function signPush(deps: SupplyDeps, supply: SupplyServices, node: PushNode, out: PushOutput, ctx: StepContext): Promise<AttachResult[]> {
  const store = deps.stores.get(node.target);
  const repos = [...new Set([...node.refs.map((r) => r.repository), ...node.digestRepositories])];
  // A fan-out copy takes the signature and attestations the first target holds.
  const source = node.copyFrom ? ctx.outputOf<PushOutput>(node.copyFrom).location : undefined;
  const from = source ? await readAttached(deps.stores.get(source.target), source.repository, out.digest, supply.key.publicKey, ctx.signal) : undefined;
  // A merge signs the predicates its shard made (the build and its image were there); else made here.
  const predicates = node.fromShard ? shardPredicates(deps, node, node.fromShard) : makePredicates(deps, supply, node, out, ctx);
  const results: AttachResult[] = [];
  for (const repo of repos) {
    ctx.progress(`signing ${formatImageRef(node.target, repo, out.digest)}`);
    results.push(await attach(store, repo, out.digest, supply.key, { sign: true, predicates, ...(from ? { from } : {}) }, ctx.signal));
  }
  return results;
}

/** The predicates a push asks for, each made only when the registry lacks it: provenance, the SBOM. */
export function makePredicates(deps: SupplyDeps, supply: AttestServices, node: PushNode, out: PushOutput, ctx: StepContext): Predicate[] {
  const predicates: Predicate[] = [];
  const provenance = supply.provenance[node.id];
  if (node.attest?.provenance && provenance) {
    predicates.push({
      type: SLSA_PROVENANCE_V1,
      make: async () =>
        createProvenance(provenance.material, {
          startedOn: supply.startedOn,
          finishedOn: supply.now(),
          refBases: provenance.refs.map((r) => ({ uri: r.repository, digest: ctx.outputOf<PushOutput>(r.node).digest })),
        }),
    });
  }
  const format = node.attest?.sbom;
  const scanner = supply.sbomScanners[node.id];
  if (format && scanner) {
    predicates.push({
      type: format === 'spdx' ? SPDX_PREDICATE : CYCLONEDX_PREDICATE,
      make: async () => {
        const built = ctx.outputOf<BuildOutput>(node.build);
        if (!('imageId' in built)) {
          const repo = node.refs[0]?.repository ?? node.digestRepositories[0]!;
          throw new MultiarchError('E_SBOM_FAILED', `${node.image} ${formatImageRef(node.target, repo, out.digest)} has no ${format} SBOM yet, and its image was not built in this run`, {
            hint: `rebuild it once so the SBOM is made from the image: multiarch apply --force ${node.image}`,
          });
        }
        ctx.progress(`${scanner.scanner}: ${format} SBOM`);
        return supply.makeSbom(scanner, built, format, ctx.signal, deps.images.writeArchive(built, ctx.signal));
      },
    });
  }
  return predicates;
}

/**
 * `apply --merge`: each predicate as the shard stored it in its layout (digest-checked). A shard
 * that found the image current built nothing and stored none: then only what the registry already
 * holds can count, and a missing one says how to get it.
 */
function shardPredicates(deps: SupplyDeps, node: PushNode, shard: NonNullable<PushNode['fromShard']>): Predicate[] {
  const layout = deps.stores.get(shardTarget(shard.layout));
  return wantedPredicates(node.attest).map(({ name, type }) => ({
    type,
    make: async () => {
      const blob = shard.predicates?.[type];
      if (!blob) {
        throw new MultiarchError('E_ATTEST_MISSING', `${node.image} ${formatPlatform(node.platform)} (${shard.digest}) has no ${name} attestation, and its shard ${shard.layout} made none: the shard found the image current and built nothing`, {
          hint: `build it in the shard once so the attestations are made from the build: multiarch apply --force ${node.image} --platform ${formatPlatform(node.platform)} --shard-out DIR`,
        });
      }
      return JSON.parse((await layout.getBlob(shard.repository, blob)).toString('utf8')) as unknown;
    },
  }));
}

async function signIndex(deps: SupplyDeps, supply: SupplyServices, node: IndexNode, digest: string, ctx: StepContext): Promise<AttachResult[]> {
  const store = deps.stores.get(node.target);
  ctx.progress(`signing ${formatImageRef(node.target, node.repository, digest)}`);
  const result = await attach(store, node.repository, digest, supply.key, { sign: true, predicates: [] }, ctx.signal);
  // Read back, as a verifier would: the index and every child signed by this key, in this repository.
  ctx.progress('verifying signatures');
  const children = node.children.map((c) => ctx.outputOf<PushOutput>(c.push).digest);
  const held = await Promise.all([digest, ...children].map((d) => readAttached(store, node.repository, d, supply.key.publicKey, ctx.signal)));
  const unsigned = [digest, ...children].filter((_, i) => held[i]!.signatures.length === 0);
  if (unsigned.length > 0) {
    throw new MultiarchError('E_SIGN_VERIFY', `${formatImageRef(node.target, node.repository, node.indexTag)}: no signature by this key verifies for ${unsigned.join(', ')}`, {
      hint: 'the registry does not hold the signatures written (or something rewrote them); run apply again, and check nothing else writes the .sig tags',
    });
  }
  return [result];
}

/** The push or index result, saying what was signed and attested; not `cached` when something was written. */
function withSummary<T>(result: StepResult<T>, attached: readonly AttachResult[]): StepResult<T> {
  const attested = [...new Set(attached.flatMap((a) => a.attested.map(shortType)))];
  const referrers = attached.reduce((n, a) => n + a.referrers, 0);
  const parts = [
    ...(attached.some((a) => a.signed === 'written') ? ['signed'] : []),
    ...(attested.length > 0 ? [`attested ${attested.join(' + ')}`] : []),
    ...(referrers > 0 ? [`${referrers} OCI referrer${referrers === 1 ? '' : 's'} written`] : []),
  ];
  const wrote = parts.length > 0;
  const text = wrote ? parts.join(', ') : 'signature and attestations verified';
  const { status, ...rest } = result;
  return { ...rest, ...(status && !(wrote && status === 'cached') ? { status } : {}), info: { ...result.info, summary: `${result.info?.summary ?? ''}; ${text}` } };
}

function shortType(type: string): string {
  return type === SLSA_PROVENANCE_V1 ? 'provenance' : 'sbom';
}
