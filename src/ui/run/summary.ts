/**
 * The end-of-run summary as text: every ref written with its (short) digest, what failed and why,
 * what was skipped or canceled and because of what, what the cache saved, then counts and total
 * time. An interrupted run says that the refs listed were written before it stopped. Fits `width`
 * columns (80 by default): long refs go on a line of their own, messages wrap. Pure.
 */
import { buildCacheRows } from './summary-cache.js';
import type { NodeStatus, NodeSummary, RunSummary } from '../../exec/events.js';
import { createStyle, type Style } from '../color.js';
import { formatDuration, shortDigest } from '../format.js';
import { padEnd, truncate, wrapText } from '../../text/text-width.js';
import { plural } from '../../text/plural.js';

export interface SummaryOptions {
  readonly color: boolean;
  /** Columns to fit; default 80. */
  readonly width?: number;
}

const DIGEST_WIDTH = 'sha256:'.length + 12;
const STATUS_ORDER: readonly NodeStatus[] = ['succeeded', 'cached', 'failed', 'skipped', 'canceled'];

export function formatSummary(summary: RunSummary, options: SummaryOptions): string {
  const width = Math.max(40, options.width ?? 80);
  const style = createStyle(options.color);
  const lines: string[] = [];
  const section = (title: string, body: string[]) => {
    if (body.length === 0) return;
    if (lines.length > 0) lines.push('');
    lines.push(style.bold(title), ...body);
  };
  const indexes = summary.published.filter((p) => p.kind === 'index');
  const platforms = summary.published.filter((p) => p.kind === 'platform');
  const imageOf = imageOfRef(summary);
  // Before the refs: apply created these ECR repositories, then pushed into them.
  const created = summary.nodes.flatMap((n) => n.result?.repositoriesCreated ?? []);
  section(`ECR repositories created (${created.length})`, created.map((r) => `  ${style.green('+')} ${r}`));
  section(`Multi-arch indexes written (${indexes.length})`, byImageRows(indexes, imageOf, width, style));
  section(`Platform images written (${platforms.length})`, byImageRows(platforms, imageOf, width, style));
  const current = upToDateImages(summary);
  if (current > 0 && summary.published.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(style.dim(`${plural(current, 'other image')} already up to date: nothing written for ${current === 1 ? 'it' : 'them'}.`));
  }
  const builds = buildCacheRows(summary, width);
  section(`Layer cache (${plural(summary.nodes.filter((n) => n.kind === 'build' && n.result?.cacheSteps).length, 'build')})`, builds);
  const byId = new Map(summary.nodes.map((n) => [n.id, n]));
  const failed = summary.nodes.filter((n) => n.status === 'failed');
  const unreachable = unreachableRegistries(summary.nodes);
  section(`Unreachable registries (${unreachable.size})`, [...unreachable].flatMap(([registry, labels]) => [
    `  ${style.red('✗')} ${registry}`,
    ...wrapText(`not reachable from ${labels.join(', ')}: check that it is up, then run again`, width, '    '),
  ]));
  section(`Failed (${failed.length})`, failed.flatMap((n) => failureRows(n, width, style)));
  for (const status of ['skipped', 'canceled'] as const) {
    const nodes = summary.nodes.filter((n) => n.status === status);
    const title = status === 'skipped' ? 'Skipped' : 'Canceled';
    section(`${title} (${nodes.length})`, groupedRows(nodes, byId, width));
  }
  if (summary.published.length === 0 && summary.status === 'succeeded') {
    if (lines.length > 0) lines.push('');
    const current = summary.nodes.some((n) => (n.kind === 'push' || n.kind === 'index') && n.status === 'cached');
    lines.push(style.dim(current ? 'Nothing was pushed: the registries already hold every image and index of this plan.' : 'Nothing was pushed (no publish targets in this plan).'));
  }
  if (summary.status === 'canceled') {
    if (lines.length > 0) lines.push('');
    const written = summary.published.length > 0 ? 'the refs listed above were written before it stopped' : 'nothing was written before it stopped';
    lines.push(...wrapText(`Interrupted: steps not yet started were canceled, running ones stopped; ${written}.`, width).map((l) => style.yellow(l)));
  }
  const cache = cacheLine(summary);
  if (lines.length > 0) lines.push('');
  if (cache) lines.push(...wrapText(cache, width));
  lines.push(...wrapText(closingLine(summary, style), width));
  return lines.join('\n');
}

/** Which image wrote a ref: the push or index node whose result lists it. */
function imageOfRef(summary: RunSummary): (ref: string) => string | undefined {
  const images = new Map<string, string>();
  for (const node of summary.nodes) for (const ref of node.result?.refs ?? []) images.set(ref, node.image);
  return (ref) => images.get(ref);
}

/** Refs under their image's name once a run wrote more than one image's (monorepo scale). */
function byImageRows(refs: RunSummary['published'], imageOf: (ref: string) => string | undefined, width: number, style: Style): string[] {
  const groups = new Map<string, Array<RunSummary['published'][number]>>();
  for (const ref of refs) {
    const image = imageOf(ref.ref) ?? '';
    groups.set(image, [...(groups.get(image) ?? []), ref]);
  }
  if (groups.size <= 1) return refRows(refs, width, style);
  return [...groups].flatMap(([image, mine]) => [`  ${style.bold(image || '(other)')}`, ...refRows(mine, width - 2, style).map((l) => `  ${l}`)]);
}

/** Images whose every push and index was already current: counted, not listed (monorepo scale). */
function upToDateImages(summary: RunSummary): number {
  const touched = new Set<string>();
  const publishing = new Set<string>();
  for (const node of summary.nodes) {
    if (node.kind !== 'push' && node.kind !== 'index') continue;
    publishing.add(node.image);
    if (node.status !== 'cached') touched.add(node.image);
  }
  return [...publishing].filter((image) => !touched.has(image)).length;
}

function refRows(refs: RunSummary['published'], width: number, style: Style): string[] {
  const room = width - 4 - DIGEST_WIDTH;
  const longest = Math.max(0, ...refs.map((r) => r.ref.length));
  if (longest <= room) return refs.flatMap((r) => [`  ${padEnd(r.ref, longest)}  ${style.dim(shortDigest(r.digest))}`, ...interruptedNote(r, width, style)]);
  // Too long for one row each: one line per repository (broken at "/" if need be), its tags under it.
  const byRepository = new Map<string, Array<{ tag: string; digest: string; interrupted?: true }>>();
  for (const { ref, digest, interrupted } of refs) {
    const { repository, tag } = splitRef(ref);
    byRepository.set(repository, [...(byRepository.get(repository) ?? []), { tag, digest, ...(interrupted ? { interrupted } : {}) }]);
  }
  const tagRoom = width - 6 - DIGEST_WIDTH;
  return [...byRepository].flatMap(([repository, tags]) => {
    const column = Math.min(tagRoom, Math.max(...tags.map((t) => t.tag.length)));
    return [
      ...breakAtSlashes(repository, width - 2).map((part, i) => `${i === 0 ? '  ' : '    '}${part}`),
      ...tags.flatMap((t) => [`    ${padEnd(truncate(t.tag, column), column)}  ${style.dim(shortDigest(t.digest))}`, ...interruptedNote(t, width - 2, style).map((l) => `  ${l}`)]),
    ];
  });
}

/** Under a ref the registry holds but the run never confirmed (stopped during the read-back). */
function interruptedNote(ref: { readonly interrupted?: true }, width: number, style: Style): string[] {
  if (!ref.interrupted) return [];
  return wrapText(INTERRUPTED_NOTE, width, '    ').map((l) => style.yellow(l));
}

export const INTERRUPTED_NOTE = 'written; interrupted before it was read back and verified';

/** `host/team/web:v1` → `host/team/web` and `:v1` (the tag keeps its colon: it reads as a ref). */
function splitRef(ref: string): { repository: string; tag: string } {
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? { repository: ref.slice(0, colon), tag: ref.slice(colon) } : { repository: ref, tag: '' };
}

/** Breaks a long path after "/" so each part fits `width` (continuations are indented by 2 more). */
function breakAtSlashes(text: string, width: number): string[] {
  const parts: string[] = [];
  let rest = text;
  let room = width;
  while (rest.length > room) {
    const cut = rest.lastIndexOf('/', room - 1);
    const at = cut > 0 ? cut + 1 : room;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at);
    room = width - 2;
  }
  return [...parts, rest];
}

/** Registries a failed step could not reach (errors that name one), with the steps that tried. */
function unreachableRegistries(nodes: readonly NodeSummary[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const node of nodes) {
    const registry = node.status === 'failed' && node.error?.code === 'E_REGISTRY_UNREACHABLE' ? node.error.registry : undefined;
    if (registry) found.set(registry, [...(found.get(registry) ?? []), node.label]);
  }
  return found;
}

function failureRows(node: NodeSummary, width: number, style: Style): string[] {
  const code = node.error ? `  [${node.error.code}]` : '';
  const head = `  ${style.red('✗')} ${truncate(node.label, width - 4 - code.length - 14)}  ${style.dim(`after ${formatDuration(node.durationMs)}`)}${style.dim(code)}`;
  const rows = [head];
  if (node.error) {
    rows.push(...wrapText(node.error.message, width, '    '));
    if (node.error.hint) rows.push(...wrapText(`hint: ${node.error.hint}`, width, '    ').map((l) => style.dim(l)));
  }
  return rows;
}

/** Skipped and canceled nodes grouped by the node that stopped them. */
function groupedRows(nodes: readonly NodeSummary[], byId: ReadonlyMap<string, NodeSummary>, width: number): string[] {
  const groups = new Map<string, string[]>();
  for (const node of nodes) {
    const key = reasonText(node, byId);
    groups.set(key, [...(groups.get(key) ?? []), node.label]);
  }
  return [...groups].flatMap(([reason, labels]) => [...wrapText(`${reason}:`, width, '  '), ...wrapText(labels.join(', '), width, '    ')]);
}

/** Why a node was skipped or canceled, naming the node it waited for. */
export function reasonText(
  node: Pick<NodeSummary, 'status' | 'reason'>,
  byId: ReadonlyMap<string, { readonly label: string; readonly status: string }>,
): string {
  if (!node.reason) return node.status === 'canceled' ? 'canceled while running' : `${node.status}`;
  const blocker = byId.get(node.reason);
  if (!blocker) return node.status === 'canceled' ? 'not started: the run was canceled' : `because of ${node.reason}`;
  return `waited for ${blocker.label}, which ${blocker.status === 'failed' ? 'failed' : `was ${blocker.status}`}`;
}

/**
 * `Cache: 3 steps cached, saving about 1m02s.`: what cached nodes took less than their last
 * recorded real run. Known only for nodes an earlier run on this machine recorded (docs/output.md).
 */
export function cacheLine(summary: RunSummary): string | undefined {
  const cached = summary.nodes.filter((n) => n.status === 'cached');
  if (cached.length === 0) return undefined;
  const known = cached.filter((n) => n.savedMs !== undefined);
  const steps = plural(cached.length, 'step');
  if (known.length === 0) return `Cache: ${steps} cached; time saved unknown (no earlier run of ${cached.length === 1 ? 'it' : 'them'} on record).`;
  const saved = formatDuration(summary.savedMs ?? known.reduce((sum, n) => sum + (n.savedMs ?? 0), 0));
  const unknown = cached.length - known.length;
  return `Cache: ${steps} cached, saving about ${saved}${unknown > 0 ? ` (${unknown} with no earlier run on record)` : ''}.`;
}

function closingLine(summary: RunSummary, style: Style): string {
  const counts = STATUS_ORDER.map((s) => [s, summary.nodes.filter((n) => n.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const refs = plural(summary.published.length, 'ref');
  const time = formatDuration(summary.durationMs);
  const detail = `${counts.join(', ') || 'nothing to do'}; ${refs} written.`;
  switch (summary.status) {
    case 'succeeded':
      return `${style.green(style.bold('Succeeded'))} in ${time}: ${detail}`;
    case 'failed':
      return `${style.red(style.bold('Failed'))} after ${time}: ${detail}`;
    case 'canceled':
      return `${style.yellow(style.bold('Canceled'))} after ${time}: ${detail}`;
  }
}

/** Shown from the first Ctrl-C until the run ends (the summary then lists what was written). */
export function stoppingText(running: number): string {
  const what = running > 0 ? `canceling ${plural(running, 'running step')}` : 'finishing';
  return `■ Stopping: ${what}, no new steps. Ctrl-C again to exit now.`;
}
