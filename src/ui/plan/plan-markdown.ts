/**
 * `plan --format markdown` / `--out-markdown FILE`: the plan as a pull-request comment or a GitHub
 * step summary — a summary line, a table of changed images × platforms (symbol, action, short
 * reason), the index changes, how many images stay as they are, then `<details>` blocks with every
 * ref apply will write and the unchanged images. Deterministic (no times, stable order) and kept
 * under GitHub's 65,536-character comment limit: what does not fit is counted and pointed at the
 * full file. Pure.
 */
import { formatPlatform } from '../../config/platform.js';
import { nodeRefs } from '../../plan/describe-node.js';
import type { BuildNode, IndexNode, Plan, PushNode } from '../../plan/nodes.js';
import { cell, code, table } from '../markdown-text.js';
import { formatChangeSummary, summaryExtras } from './plan-changes.js';
import { repositoryMarkdown } from './plan-repositories.js';
import { currentImages } from './plan-fold.js';
import { PLAN_ACTIONS, type PlanAction } from './plan-symbols.js';
import { imagesInOrder, planTotals } from './plan-text.js';
import { describeCache } from './plan-cache.js';
import { supplyLines } from './plan-supply.js';
import { createStyle } from '../color.js';
import { plural } from '../../text/plural.js';

/** GitHub's limit for an issue or pull-request comment body. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface PlanMarkdownOptions {
  /** Characters at most; default GitHub's comment limit. */
  readonly limit?: number;
  /** Where the whole plan is when this one is cut (an artifact name or a file). */
  readonly fullPlanAt?: string;
}

interface Row {
  readonly image: string;
  readonly platform: string;
  readonly action: PlanAction;
  readonly why: string;
}

export function formatPlanMarkdown(plan: Plan, options: PlanMarkdownOptions = {}): string {
  const limit = options.limit ?? GITHUB_COMMENT_LIMIT;
  const images = imagesInOrder(plan);
  const current = new Set(currentImages(plan, images));
  const rows = platformRows(plan).filter((r) => !current.has(r.image));
  const indexes = indexRows(plan).filter((r) => !current.has(r.image));
  const refs = refsToWrite(plan);
  const head = [
    '### multiarch plan',
    '',
    `${summaryText(plan)}`,
    '',
    `Config: ${code(plan.configFile)} · state: ${plan.changes ? (plan.changes.source === 'registry' ? 'read from the publish targets' : 'offline (registries not read)') : 'not read (every image is built)'}`,
  ];
  const blocks: Block[] = [];
  const repositories = repositoryMarkdown(plan, code);
  if (repositories.length > 0) blocks.push({ details: `ECR repositories to create (${repositories.length})`, body: repositories });
  if (rows.length > 0) {
    blocks.push({
      title: `Images to build or publish (${plural(new Set(rows.map((r) => r.image)).size, 'image')})`,
      head: ['Image', 'Platform', 'Action', 'Why'],
      rows: rows.map((r) => [code(r.image), r.platform, actionCell(r.action), cell(r.why)]),
    });
  }
  if (indexes.length > 0) {
    blocks.push({ title: 'Multi-arch indexes', head: ['Index', 'Action', 'Platforms'], rows: indexes.map((r) => [code(r.ref), actionCell(r.action), cell(r.platforms)]) });
  }
  if (current.size > 0) blocks.push({ details: `${plural(current.size, 'image')} up to date`, body: [[...current].map((i) => code(i)).join(', ')] });
  if (refs.length > 0) blocks.push({ details: `Refs apply will write (${refs.length})`, body: refs.map((r) => `- ${code(r)}`) });
  const cache = cacheDecisions(plan, current);
  if (cache.length > 0) blocks.push({ details: `Layer cache (${plural(cache.length, 'build')})`, body: cache });
  const signing = signingDecisions(plan, current);
  if (signing.length > 0) blocks.push({ details: `Signatures and attestations (${signing.length})`, body: signing });
  if (plan.notes.length > 0) blocks.push({ details: `Notes (${plan.notes.length})`, body: plan.notes.map((n) => `- ${code(n.image)}: ${cell(n.message)}`) });
  return `${fit(head, blocks, limit, options.fullPlanAt).join('\n')}\n`;
}

type Block = { readonly title: string; readonly head: readonly string[]; readonly rows: ReadonlyArray<readonly string[]> } | { readonly details: string; readonly body: readonly string[] };

/** The blocks in order while they fit; a table that does not fit keeps the rows that do. */
function fit(head: readonly string[], blocks: readonly Block[], limit: number, fullPlanAt: string | undefined): string[] {
  const where = fullPlanAt ? ` — the whole plan is in ${code(fullPlanAt)}` : ' — run `multiarch plan --out-markdown FILE` for the whole plan';
  // Room kept for the note that says what was left out.
  const reserve = 200 + where.length;
  const out = [...head];
  let size = out.join('\n').length;
  let left = 0;
  const add = (lines: readonly string[]) => {
    const text = `\n${lines.join('\n')}`;
    if (size + text.length > limit - reserve) return false;
    out.push(...lines);
    size += text.length;
    return true;
  };
  for (const block of blocks) {
    if ('details' in block) {
      if (!add(['', `<details><summary>${cell(block.details)}</summary>`, '', ...block.body, '', '</details>'])) left += block.body.length;
      continue;
    }
    if (!add(['', `#### ${block.title}`, '', ...table(block.head, [])])) {
      left += block.rows.length;
      continue;
    }
    for (const [i, row] of block.rows.entries()) {
      if (!add(table(block.head, [row]).slice(2))) {
        left += block.rows.length - i;
        break;
      }
    }
  }
  if (left > 0) out.push('', `_Cut to fit GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')}-character limit: ${plural(left, 'more line')} not shown${where}._`);
  return out;
}

function summaryText(plan: Plan): string {
  // The closing line of the text plan, in Markdown bold instead of terminal bold.
  const text = plan.changes ? formatChangeSummary(plan.changes.summary, undefined, summaryExtras(plan)) : planTotals(plan);
  return text.replace(/^Plan:/, '**Plan:**');
}

function actionCell(action: PlanAction): string {
  const { symbol, word } = PLAN_ACTIONS[action];
  return `<code>${cell(symbol)}</code> ${word}`;
}

const PLATFORM_ACTION = { create: 'create', rebuild: 'rebuild', 'up-to-date': 'unchanged', copy: 'copy', retag: 'retag' } as const;

/** One row per platform of each image: what apply does to it and why. */
function platformRows(plan: Plan): Row[] {
  const nodes = plan.order.map((id) => plan.nodes[id]!);
  const builds = nodes.filter((n): n is BuildNode => n.kind === 'build');
  if (builds.length === 0) {
    // A merge plan builds nothing: each platform's push from its shard is the change.
    return nodes.filter((n): n is PushNode => n.kind === 'push').map((n) => ({ image: n.image, platform: formatPlatform(n.platform), action: 'create', why: `from shard${n.target ? ` to ${n.target.name}` : ''}` }));
  }
  return builds.map((build) => {
    const change = plan.changes?.platforms[build.id];
    const action: PlanAction = change ? PLATFORM_ACTION[change.action] : 'create';
    const why = change ? (change.reasons.length > 0 ? change.reasons.join('; ') : change.action === 'up-to-date' ? 'up to date' : pushWhy(plan, build)) : 'no registry state read';
    return { image: build.image, platform: formatPlatform(build.platform), action, why };
  });
}

/** A platform that is current somewhere but not everywhere: which refs it still needs. */
function pushWhy(plan: Plan, build: BuildNode): string {
  const pushes = Object.values(plan.nodes).filter((n): n is PushNode => n.kind === 'push' && n.build === build.id);
  const stale = pushes.flatMap((p) => plan.changes?.pushes[p.id]?.write ?? []);
  return stale.length > 0 ? `current elsewhere; writes ${stale.join(', ')}` : 'current';
}

function indexRows(plan: Plan): Array<{ image: string; ref: string; action: PlanAction; platforms: string }> {
  return plan.order
    .map((id) => plan.nodes[id]!)
    .filter((n): n is IndexNode => n.kind === 'index')
    .flatMap((node) => {
      const change = plan.changes?.indexes[node.id];
      if (change?.action === 'unchanged') return [];
      const platforms = change && change.action === 'update' ? change.children.map((c) => `${c.platform} ${c.change}`).join(', ') || 'rewritten in this format' : node.children.map((c) => formatPlatform(c.platform)).join(', ');
      return [{ image: node.image, ref: nodeRefs(node)[0]!, action: change?.action === 'update' ? 'update' : 'create', platforms }];
    });
}

/** Every ref apply writes, sorted: tags of pushes that write, and the indexes that change. */
function refsToWrite(plan: Plan): string[] {
  const refs = new Set<string>();
  for (const node of Object.values(plan.nodes)) {
    if (node.kind === 'push') {
      const change = plan.changes?.pushes[node.id];
      for (const ref of change ? change.write : nodeRefs(node)) refs.add(ref);
    }
    if (node.kind === 'index' && plan.changes?.indexes[node.id]?.action !== 'unchanged') for (const ref of nodeRefs(node)) refs.add(ref);
  }
  return [...refs].sort();
}

/** Per build that runs on an engine: the cache source it will try (plan-cache.ts). */
function cacheDecisions(plan: Plan, current: ReadonlySet<string>): string[] {
  return plan.order
    .map((id) => plan.nodes[id]!)
    .filter((n): n is BuildNode => n.kind === 'build' && !current.has(n.image) && n.action.type === 'build' && n.cache !== undefined)
    .map((n) => `- ${code(`${n.image} ${formatPlatform(n.platform)}`)}: ${cell(describeCache(n))}`);
}

/** Per digest written: `+ sign`, `+ attest …` or `= signed`, as the text plan says them (plan-supply.ts). */
function signingDecisions(plan: Plan, current: ReadonlySet<string>): string[] {
  const look = { style: createStyle(false), width: 1_000, actionOf: () => 'create' as const };
  return plan.order
    .map((id) => plan.nodes[id]!)
    .filter((n): n is PushNode | IndexNode => (n.kind === 'push' || n.kind === 'index') && n.sign !== undefined && !current.has(n.image))
    .map((n) => {
      const what = supplyLines(plan, n, look).map((l) => l.trim().replace(/\s+/g, ' ')).join('; ');
      return `- ${code(n.kind === 'index' ? nodeRefs(n)[0]! : `${n.image} ${formatPlatform(n.platform)} → ${n.target.name}`)}: ${cell(what)}`;
    });
}
