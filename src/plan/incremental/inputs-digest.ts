/**
 * Each build's inputs digest: a sha256 over its InputsDetail — the context and Dockerfile digests,
 * platform, builder kind (a direct build's is direct assembly's), target, args, labels and the digests of the base images it pulls. A
 * `ref()` arg contributes the digest the build will really get: the base image's published digest
 * when it is current, or REBUILT when it is rebuilt first (then the dependent is rebuilt too, and
 * its label gets the real digest at apply time: finalizeInputs). Git labels (revision, creation
 * time) are not inputs: a new commit that changes nothing the build sees rebuilds nothing. Pure.
 */
import { createHash } from 'node:crypto';
import { formatPlatform } from '../../config/platform.js';
import { inputsBuilderKind } from '../build-path.js';
import type { BuildNode, Plan, PrepareNode, RefArg } from '../nodes.js';
import { INPUTS_DETAIL_LABEL, INPUTS_LABEL, type InputsDetail, type InputsFacts } from './types.js';

/** Labels that change with every commit or are written by multiarch itself. */
const NOT_INPUTS = new Set(['org.opencontainers.image.revision', 'org.opencontainers.image.created', INPUTS_LABEL, INPUTS_DETAIL_LABEL]);

export interface BuildInputs {
  readonly digest: string;
  readonly detail: InputsDetail;
  /** The detail as canonical JSON (what the digest is over, and the detail label's value). */
  readonly json: string;
  /** Why base images could not be resolved (each a reason to rebuild: their digest is unknown). */
  readonly unresolved: readonly string[];
}

/** Marks a ref() arg whose image is rebuilt: its digest is known only once that build is pushed. */
export const REBUILT = 'rebuilt';

/** The value a ref() arg will have: the base's published digest, or REBUILT. */
export type RefValue = (arg: RefArg) => string;

/** The prepare step that runs before this build, if the image has one. */
export function prepareOf(plan: Plan, node: BuildNode): PrepareNode | undefined {
  for (const dep of node.deps) {
    const n = plan.nodes[dep];
    if (n?.kind === 'prepare') return n;
  }
  return undefined;
}

export function computeBuildInputs(node: BuildNode, facts: InputsFacts, refValue: RefValue, prepare?: PrepareNode): BuildInputs {
  const image = facts.images[node.image];
  if (!image) throw new Error(`no inputs gathered for image ${node.image}`);
  const plain = configInputs(node);
  const args: Record<string, string> = { ...plain.args };
  for (const [name, value] of Object.entries(node.args)) if (typeof value !== 'string') args[name] = refArgValue(value.ref.image, refValue(value));
  const bases: Record<string, string> = {};
  const unresolved: string[] = [];
  for (const b of facts.bases[node.id] ?? []) {
    bases[`${b.ref} ${b.platform}`] = b.digest ?? 'unknown';
    if (!b.digest) unresolved.push(`base image ${b.ref} ${b.problem ?? 'could not be resolved'}`);
  }
  const detail: InputsDetail = {
    platform: formatPlatform(node.platform),
    builder: inputsBuilderKind(node, facts.builder),
    context: image.context,
    dockerfile: image.dockerfile,
    target: plain.target,
    args,
    bases,
    labels: plain.labels,
    // What a prepare step writes follows from its code (and the context, which is in already).
    ...(prepare ? { prepare: prepare.source.hash } : {}),
    ...secretIds(node),
  };
  return { ...digestDetail(detail), unresolved };
}

/** The bases an inputs detail records (`<ref> <platform>` → digest): those resolved to a platform image's digest. */
export function recordedBases(bases: InputsDetail['bases']): Array<{ ref: string; platform: string; digest: string }> {
  return Object.entries(bases).flatMap(([key, digest]) => {
    const space = key.lastIndexOf(' ');
    return space > 0 && /^sha256:[0-9a-f]{64}$/.test(digest) ? [{ ref: key.slice(0, space), platform: key.slice(space + 1), digest }] : [];
  });
}

/** Secret and SSH ids (sorted), only when there are some: digests of builds without them stay as they were. */
function secretIds(node: BuildNode): Pick<InputsDetail, 'secrets' | 'ssh'> {
  const secrets = Object.keys(node.secrets ?? {}).sort();
  const ssh = Object.keys(node.ssh ?? {}).sort();
  return { ...(secrets.length ? { secrets } : {}), ...(ssh.length ? { ssh } : {}) };
}

/**
 * The inputs a build takes from the config alone (target, plain args, labels): what a merge
 * compares between the shards and the checkout it runs in. `ref()` args are left out (they name a
 * digest only a run knows).
 */
export function configInputs(node: BuildNode): Pick<InputsDetail, 'target' | 'args' | 'labels'> {
  const args: Record<string, string> = {};
  for (const [name, value] of Object.entries(node.args)) if (typeof value === 'string') args[name] = shortHash(value);
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(node.labels)) if (!NOT_INPUTS.has(key)) labels[key] = shortHash(value);
  return { target: node.target ?? null, args, labels };
}

/**
 * At apply time, once the images a build is based on are pushed: the inputs with their real
 * digests in place of REBUILT (what the image's label records).
 */
export function finalizeInputs(detail: InputsDetail, pushed: Readonly<Record<string, { image: string; digest: string }>>): Omit<BuildInputs, 'unresolved'> {
  const args = { ...detail.args };
  for (const [name, { image, digest }] of Object.entries(pushed)) args[name] = refArgValue(image, digest);
  const final = { ...detail, args };
  return digestDetail(final);
}

export function refArgValue(image: string, digest: string): string {
  return `ref:${image}@${digest}`;
}

export function inputsDigest(detail: InputsDetail): string {
  return digestDetail(detail).digest;
}

function digestDetail(detail: InputsDetail): Omit<BuildInputs, 'unresolved'> {
  const json = canonicalJson(detail);
  return { digest: `sha256:${createHash('sha256').update(json).digest('hex')}`, detail, json };
}

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Arg and label values repeat across platforms and images: hashed once each. */
const shortHashes = new Map<string, string>();

function shortHash(value: string): string {
  let hash = shortHashes.get(value);
  if (hash === undefined) {
    hash = createHash('sha256').update(value).digest('hex').slice(0, 16);
    if (shortHashes.size < 100_000) shortHashes.set(value, hash);
  }
  return hash;
}
