/**
 * `multiarch plan` for an incremental plan, read like a Terraform diff: per image and platform
 * `+ create`, `~ rebuild` (with its reasons), `= up to date`, `→ copy`, `~ retag`; under a platform
 * that is built, its steps as the full plan shows them (plan-text.ts), each with its symbol; per
 * index created / updated (which children) / unchanged; then one closing line:
 * `Plan: 2 to build, 3 to push, 1 index to update, 14 unchanged.` Wraps to `width`. Pure.
 */
import { formatPlatform } from '../../config/platform.js';
import type { IndexChange, PlanChanges, PlatformChange, PushChange } from '../../plan/incremental/types.js';
import type { BuildNode, IndexNode, Plan, PlanNode, PushNode } from '../../plan/nodes.js';
import { createStyle, type Style } from '../color.js';
import { plural } from '../../text/plural.js';
import { shortDigest } from '../format.js';
import { wrapSegments, type Segment } from '../../text/text-width.js';
import { builderSectionLines } from './plan-builders.js';
import { currentImages, foldedLine } from './plan-fold.js';
import { supplyLines, supplyToWrite } from './plan-supply.js';
import { repositoryLines, repositoryTotal } from './plan-repositories.js';
import { plannedRepositories } from '../../plan/ecr-repositories.js';
import { actionLegend, PLAN_ACTIONS, type PlanAction } from './plan-symbols.js';
import { builderLines, imagesInOrder, nodeLines, stepLines, type Look } from './plan-text.js';

export interface PlanChangesTextOptions {
  readonly color: boolean;
  /** Columns to fit; default 80. */
  readonly width?: number;
  /** Every image in detail; by default images apply leaves as they are fold into one line. */
  readonly verbose?: boolean;
}

const PLATFORM_ACTION: Record<PlatformChange['action'], PlanAction> = { create: 'create', rebuild: 'rebuild', 'up-to-date': 'unchanged', copy: 'copy', retag: 'retag' };
const INDEX_ACTION: Record<IndexChange['action'], PlanAction> = { create: 'create', update: 'update', unchanged: 'unchanged' };
/** Reasons and the refs a copy or retag writes: under the platform's text. */
const UNDER = ' '.repeat(6);

export function formatPlanChanges(plan: Plan, options: PlanChangesTextOptions): string {
  const style = createStyle(options.color);
  const changes = plan.changes!;
  const width = Math.max(40, options.width ?? 80);
  const actionOf = (node: PlanNode): PlanAction => nodeAction(plan, node);
  const look: Look = { style, width, actionOf };
  // Steps of a rebuilt platform sit two columns further in.
  const inner: Look = { style, width: width - 2, actionOf };
  const nodes = plan.order.map((id) => plan.nodes[id]!);
  const lines: string[] = [
    ...wrapSegments([{ text: 'Plan for', style: style.bold }, { text: ` ${plan.configFile}` }], width, '', '  '),
    ...builderLines(plan, nodes, look),
    ...builderSectionLines(plan, nodes, style),
    ...wrapSegments(stateLine(changes, style), width, '', '  '),
  ];
  const used = new Set<PlanAction>([...Object.values(changes.platforms).map((c) => PLATFORM_ACTION[c.action]), ...Object.values(changes.indexes).map((c) => INDEX_ACTION[c.action])]);
  const legend = actionLegend(used, style);
  if (legend) lines.push('', legend);
  lines.push(...repositoryLines(plan, width, style));
  const byImage = new Map<string, PlanNode[]>();
  for (const n of nodes) byImage.set(n.image, [...(byImage.get(n.image) ?? []), n]);
  const images = imagesInOrder(plan);
  const folded = new Set(options.verbose ? [] : currentImages(plan, images));
  for (const image of images.filter((i) => !folded.has(i))) {
    const mine = byImage.get(image) ?? [];
    const builds = mine.filter((n): n is BuildNode => n.kind === 'build');
    // A merge has no builds: its pushes (from a shard, or of a current image) stand for them.
    const merged = builds.length === 0 ? mine.filter((n): n is PushNode => n.kind === 'push') : [];
    const platforms = [...new Set([...builds, ...merged].map((n) => formatPlatform(n.platform)))];
    lines.push('', ...wrapSegments([{ text: image, style: (t) => style.bold(style.cyan(t)) }, { text: `  (${platforms.join(', ')})`, style: style.dim }], width, '', '  '));
    for (const build of builds) lines.push(...platformLines(plan, build, mine, look, inner));
    for (const push of merged) lines.push(...nodeLines(plan, push, look));
    for (const index of mine.filter((n): n is IndexNode => n.kind === 'index')) lines.push(...indexLines(index, changes.indexes[index.id]!, look), ...supplyLines(plan, index, inner).map((l) => `  ${l}`));
  }
  if (folded.size > 0) lines.push('', foldedLine([...folded], width, style));
  if (plan.notes.length > 0) {
    lines.push('', style.bold('Notes'));
    for (const note of plan.notes) lines.push(...wrapSegments([{ text: `${note.image}: ${note.message}` }], width, '  ', '    '));
  }
  lines.push('', ...wrapSegments([{ text: formatChangeSummary(changes.summary, style, summaryExtras(plan)) }], width));
  return lines.join('\n');
}

/** What the closing line says besides the images, when there is any: digests to sign, ECR repositories to create. */
export interface SummaryExtras {
  /** How many digests get a signature or attestation written (`2 digests to sign`). */
  readonly signing?: number;
  /** `1 ECR repository to create` (plan-repositories.ts). */
  readonly repositories?: string;
}

export function summaryExtras(plan: Plan): SummaryExtras {
  return { signing: supplyToWrite(plan), repositories: repositoryTotal(plan) };
}

/** `Plan: 2 to build, 3 to push, 1 index to update, 14 unchanged.`, with the extras said when there are any. */
export function formatChangeSummary(summary: PlanChanges['summary'], style: Style = createStyle(false), { signing = 0, repositories = '' }: SummaryExtras = {}): string {
  const parts = [`${summary.build} to build`, `${summary.push} to push`];
  // `1 ECR repository to create` (plan-repositories.ts), only when there is one.
  if (repositories) parts.push(repositories);
  if (summary.indexCreate > 0) parts.push(`${plural(summary.indexCreate, 'index', 'indexes')} to create`);
  if (summary.indexUpdate > 0 || summary.indexCreate === 0) parts.push(`${plural(summary.indexUpdate, 'index', 'indexes')} to update`);
  if (signing > 0) parts.push(`${plural(signing, 'digest', 'digests')} to sign`);
  parts.push(`${summary.unchanged} unchanged`);
  const text = `${parts.join(', ')}.`;
  return `${style.bold('Plan:')} ${hasChanges(summary) || signing > 0 || repositories ? text : style.green(text)}`;
}

export function hasChanges(summary: PlanChanges['summary']): boolean {
  return summary.build + summary.push + summary.indexCreate + summary.indexUpdate > 0;
}

/**
 * Whether apply would write anything (what `--detailed-exitcode` exits 2 on): a build, push or
 * index — or a signature or attestation still missing on a digest that is otherwise current, or
 * an ECR repository to create.
 */
export function planHasChanges(plan: Plan): boolean {
  return (plan.changes ? hasChanges(plan.changes.summary) : plan.order.length > 0) || supplyToWrite(plan) > 0 || plannedRepositories(plan).length > 0;
}

/** What apply does to a node: its platform's action for its build, test, scan and prepare step. */
function nodeAction(plan: Plan, node: PlanNode): PlanAction {
  const changes = plan.changes!;
  const buildOf = (id: string) => changes.platforms[id];
  switch (node.kind) {
    case 'build':
      return PLATFORM_ACTION[buildOf(node.id)?.action ?? 'create'];
    case 'test':
    case 'scan':
      return PLATFORM_ACTION[buildOf(node.build)?.action ?? 'create'];
    case 'prepare': {
      const build = Object.values(plan.nodes).find((n) => n.kind === 'build' && n.deps.includes(node.id));
      return PLATFORM_ACTION[(build && buildOf(build.id)?.action) ?? 'create'];
    }
    case 'push': {
      const push = changes.pushes[node.id];
      if (push?.action === 'push') return PLATFORM_ACTION[buildOf(node.build)?.action ?? 'create'];
      return push?.action === 'copy' ? 'copy' : push?.action === 'retag' ? 'retag' : 'unchanged';
    }
    case 'index':
      return INDEX_ACTION[changes.indexes[node.id]?.action ?? 'create'];
  }
}

function stateLine(changes: PlanChanges, style: Style): Segment[] {
  return changes.source === 'registry'
    ? [{ text: 'State:', style: style.bold }, { text: ' read from the publish targets just now' }]
    : [{ text: 'State:', style: style.bold }, { text: ' offline — registries not read; tags and base images as this machine last saw them', style: style.yellow }];
}

function headLine(action: PlanAction, rest: readonly Segment[], look: Look): string[] {
  const { symbol, word, style } = PLAN_ACTIONS[action];
  const tint = style(look.style);
  return wrapSegments([{ text: `${symbol} `, style: tint }, ...rest, { text: `  ${word}`, style: tint }], look.width, '  ', UNDER);
}

function platformLines(plan: Plan, build: BuildNode, mine: readonly PlanNode[], look: Look, inner: Look): string[] {
  const { style } = look;
  const change = plan.changes!.platforms[build.id]!;
  const action = PLATFORM_ACTION[change.action];
  const platform = { text: formatPlatform(build.platform), style: PLAN_ACTIONS[action].style(style) };
  if (change.action === 'up-to-date') {
    const where = `  ${change.current!.ref} (${shortDigest(change.current!.digest)})`;
    return wrapSegments([{ text: `= ${formatPlatform(build.platform)}  up to date`, style: style.dim }, { text: where, style: style.dim }], look.width, '  ', UNDER);
  }
  const lines = headLine(action, [platform], look);
  for (const reason of change.reasons) lines.push(...wrapSegments([{ text: reason }], look.width, UNDER, `${UNDER}  `));
  const pushes = mine.filter((n): n is PushNode => n.kind === 'push' && n.build === build.id);
  if (change.action === 'create' || change.action === 'rebuild') {
    // What runs, as the full plan shows it: prepare step, build (where, how), test, scan, pushes.
    const related = (kind: PlanNode['kind']) => mine.filter((n) => n.kind === kind && (kind === 'prepare' ? build.deps.includes(n.id) : 'build' in n && n.build === build.id));
    const tests = related('test');
    const show = (nodes: readonly PlanNode[]) => nodes.flatMap((node) => nodeLines(plan, node, inner));
    const untested = stepLines(undefined, 'test', [{ text: 'none configured: platform images are pushed untested', style: style.yellow }], inner);
    lines.push(...[...show([...related('prepare'), build]), ...(tests.length > 0 ? show(tests) : untested), ...show([...related('scan'), ...pushes])].map((l) => `  ${l}`));
    return lines;
  }
  for (const push of pushes) lines.push(...[...pushLines(push, plan.changes!.pushes[push.id]!, inner), ...supplyLines(plan, push, inner)].map((l) => `  ${l}`));
  return lines;
}

/** A push of an image that is current somewhere: nothing, a retag or a copy, and what it writes. */
function pushLines(push: PushNode, change: PushChange, look: Look): string[] {
  const { style } = look;
  const head = [{ text: `${formatPlatform(push.platform)} → ${push.target.name}  ` }];
  if (change.action === 'skip') return stepLines('unchanged', 'push', [...head, { text: 'every tag already holds it', style: style.dim }], look);
  // The source by its registry's name in the config (plan --json has the full reference).
  const what = change.action === 'copy' ? `copy ${shortDigest(change.from!.digest)} from ${change.from!.target}` : `retag ${shortDigest(change.from!.digest)}`;
  const lines = stepLines(change.action === 'copy' ? 'copy' : 'retag', 'push', [...head, { text: what }], look);
  for (const ref of change.write) lines.push(...wrapSegments([{ text: ref }], look.width, ' '.repeat(10), ' '.repeat(12)));
  for (const repo of change.digestRepositories) {
    lines.push(...wrapSegments([{ text: `${push.target.host}/${repo}@<digest> (untagged, for the index)`, style: style.dim }], look.width, ' '.repeat(10), ' '.repeat(12)));
  }
  return lines;
}

function indexLines(node: IndexNode, change: IndexChange, look: Look): string[] {
  const { style } = look;
  const action = INDEX_ACTION[change.action];
  const tint = PLAN_ACTIONS[action].style(style);
  const head: Segment[] = [{ text: `${PLAN_ACTIONS[action].symbol} index ${node.tag} → ${node.target.name}`, style: tint }, { text: `  ${change.action}`, style: tint }, { text: `  ${change.ref}` }];
  const detail =
    change.action === 'create'
      ? `(${change.children.map((c) => c.platform).join(', ')})`
      : change.action === 'update'
        ? change.children.length === 0
          ? '(rewritten in this format)'
          : `(${change.children.map((c) => `${c.platform} ${c.change}`).join(', ')})`
        : '';
  return wrapSegments(detail ? [...head, { text: `  ${detail}`, style: style.dim }] : head, look.width, '  ', UNDER);
}
