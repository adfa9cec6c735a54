/**
 * Each build's inputs digest: a sha256 over its InputsDetail — the context and Dockerfile digests,
 * platform, builder kind, target, args, labels and the digests of the base images it pulls. A
 * `ref()` arg contributes the inputs digest of the image it names (same platform), so a change to a
 * base image's inputs changes every dependent's. Git labels (revision, creation time) are not
 * inputs: a new commit that changes nothing the build sees rebuilds nothing. Pure.
 */
import { createHash } from 'node:crypto';
import { formatPlatform } from '../../config/platform.js';
import type { BuildNode, Plan } from '../nodes.js';
import { INPUTS_DETAIL_LABEL, INPUTS_LABEL, type InputsDetail, type InputsFacts } from './types.js';

/** Labels that change with every commit or are written by multiarch itself. */
const NOT_INPUTS = new Set(['org.opencontainers.image.revision', 'org.opencontainers.image.created', INPUTS_LABEL, INPUTS_DETAIL_LABEL]);

export interface BuildInputs {
  readonly digest: string;
  readonly detail: InputsDetail;
  /** Base images whose digest is not known (offline, never resolved here). */
  readonly unresolved: readonly string[];
}

export function computeInputs(plan: Plan, facts: InputsFacts): Record<string, BuildInputs> {
  const out: Record<string, BuildInputs> = {};
  const visit = (node: BuildNode): BuildInputs => {
    const known = out[node.id];
    if (known) return known;
    const image = facts.images[node.image];
    if (!image) throw new Error(`no inputs gathered for image ${node.image}`);
    const args: Record<string, string> = {};
    for (const [name, value] of Object.entries(node.args)) {
      if (typeof value === 'string') {
        args[name] = shortHash(value);
        continue;
      }
      const push = plan.nodes[value.ref.node];
      const base = push?.kind === 'push' ? plan.nodes[push.build] : undefined;
      if (base?.kind !== 'build') throw new Error(`${node.id}: ref(${value.ref.image}) has no build in the plan`);
      args[name] = `ref:${value.ref.image}@${visit(base).digest}`;
    }
    const bases: Record<string, string> = {};
    const unresolved: string[] = [];
    for (const b of facts.bases[node.id] ?? []) {
      bases[`${b.ref} ${b.platform}`] = b.digest ?? 'unknown';
      if (!b.digest) unresolved.push(b.ref);
    }
    const labels: Record<string, string> = {};
    for (const [key, value] of Object.entries(node.labels)) if (!NOT_INPUTS.has(key)) labels[key] = shortHash(value);
    const detail: InputsDetail = {
      platform: formatPlatform(node.platform),
      builder: facts.builder,
      context: image.context,
      dockerfile: image.dockerfile,
      target: node.target ?? null,
      args,
      bases,
      labels,
    };
    const result = { digest: inputsDigest(detail), detail, unresolved };
    out[node.id] = result;
    return result;
  };
  for (const id of plan.order) {
    const node = plan.nodes[id]!;
    if (node.kind === 'build') visit(node);
  }
  return out;
}

export function inputsDigest(detail: InputsDetail): string {
  return `sha256:${createHash('sha256').update(canonicalJson(detail)).digest('hex')}`;
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

function shortHash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}
