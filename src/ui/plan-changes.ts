/**
 * `multiarch plan` for an incremental plan, read like a Terraform diff: per image and platform
 * `+ create`, `~ rebuild` (with its reasons), `= up to date`, `→ copy`, `~ retag`; per index
 * created / updated (which children) / unchanged; then one closing line:
 * `Plan: 2 to build, 3 to push, 1 index to update, 14 unchanged.` Pure.
 */
import { formatPlatform } from '../config/platform.js';
import type { IndexChange, PlanChanges, PlatformChange, PushChange } from '../plan/incremental/types.js';
import type { BuildNode, IndexNode, Plan, PlanNode, PushNode } from '../plan/nodes.js';
import { createStyle, type Style } from './color.js';
import { plural, shortDigest } from './format.js';
import { builderSectionLines } from './plan-builders.js';
import { builderLines, imagesInOrder, nodeLines } from './plan-text.js';

export interface PlanChangesTextOptions {
  readonly color: boolean;
}

const SYMBOL: Record<PlatformChange['action'], string> = { create: '+', rebuild: '~', 'up-to-date': '=', copy: '→', retag: '~' };

export function formatPlanChanges(plan: Plan, options: PlanChangesTextOptions): string {
  const style = createStyle(options.color);
  const changes = plan.changes!;
  const nodes = plan.order.map((id) => plan.nodes[id]!);
  const lines: string[] = [`${style.bold('Plan for')} ${plan.configFile}`, ...builderLines(plan, nodes, style), ...builderSectionLines(plan, nodes, style), registryLine(changes, style)];
  const byImage = new Map<string, PlanNode[]>();
  for (const n of nodes) byImage.set(n.image, [...(byImage.get(n.image) ?? []), n]);
  for (const image of imagesInOrder(plan)) {
    const mine = byImage.get(image) ?? [];
    const builds = mine.filter((n): n is BuildNode => n.kind === 'build');
    lines.push('', `${style.bold(style.cyan(image))}  ${style.dim(`(${builds.map((b) => formatPlatform(b.platform)).join(', ')})`)}`);
    for (const build of builds) lines.push(...platformLines(plan, build, mine, style));
    for (const index of mine.filter((n): n is IndexNode => n.kind === 'index')) lines.push(indexLine(index, changes.indexes[index.id]!, style));
  }
  if (plan.notes.length > 0) {
    lines.push('', style.bold('Notes'));
    for (const note of plan.notes) lines.push(`  ${note.image}: ${note.message}`);
  }
  lines.push('', formatChangeSummary(changes.summary, style));
  return lines.join('\n');
}

/** `Plan: 2 to build, 3 to push, 1 index to update, 14 unchanged.` */
export function formatChangeSummary(summary: PlanChanges['summary'], style: Style = createStyle(false)): string {
  const parts = [`${summary.build} to build`, `${summary.push} to push`];
  if (summary.indexCreate > 0) parts.push(`${plural(summary.indexCreate, 'index', 'indexes')} to create`);
  if (summary.indexUpdate > 0 || summary.indexCreate === 0) parts.push(`${plural(summary.indexUpdate, 'index', 'indexes')} to update`);
  parts.push(`${summary.unchanged} unchanged`);
  const text = `${parts.join(', ')}.`;
  return `${style.bold('Plan:')} ${hasChanges(summary) ? text : style.green(text)}`;
}

export function hasChanges(summary: PlanChanges['summary']): boolean {
  return summary.build + summary.push + summary.indexCreate + summary.indexUpdate > 0;
}

function registryLine(changes: PlanChanges, style: Style): string {
  return changes.source === 'registry'
    ? `${style.bold('State:')} read from the registries just now`
    : `${style.bold('State:')} ${style.yellow('offline — registries not read; tags and base images as this machine last saw them')}`;
}

function platformLines(plan: Plan, build: BuildNode, mine: readonly PlanNode[], style: Style): string[] {
  const change = plan.changes!.platforms[build.id]!;
  const platform = formatPlatform(build.platform);
  const tint = change.action === 'create' ? style.green : change.action === 'up-to-date' ? style.dim : change.action === 'copy' ? style.cyan : style.yellow;
  const head = `  ${tint(`${SYMBOL[change.action]} ${platform}`)}  ${tint(change.action.replace(/-/g, ' '))}`;
  const pushes = mine.filter((n): n is PushNode => n.kind === 'push' && n.build === build.id);
  const building = change.action === 'create' || change.action === 'rebuild';
  if (change.action === 'up-to-date') return [`${head}  ${style.dim(`${change.current!.ref} (${shortDigest(change.current!.digest)})`)}`];
  const lines = [head];
  for (const reason of change.reasons) lines.push(`      ${reason}`);
  if (building) {
    // What runs, as the full plan shows it: prepare step, build (where, how), test, scan, pushes.
    const related = (kind: PlanNode['kind']) => mine.filter((n) => n.kind === kind && (kind === 'prepare' ? build.deps.includes(n.id) : 'build' in n && n.build === build.id));
    const tests = related('test');
    const untested = [`  ${style.dim('test ')} ${style.yellow('none configured: platform images are pushed untested')}`];
    const show = (nodes: readonly PlanNode[]) => nodes.flatMap((node) => nodeLines(plan, node, style));
    const shown = [...show([...related('prepare'), build]), ...(tests.length > 0 ? show(tests) : untested), ...show([...related('scan'), ...pushes])];
    lines.push(...shown.map((l) => `    ${l}`));
    return lines;
  }
  for (const push of pushes) lines.push(...pushLines(push, plan.changes!.pushes[push.id]!, style));
  return lines;
}

function pushLines(push: PushNode, change: PushChange, style: Style): string[] {
  if (change.action === 'skip') return [`        ${style.dim(`= ${push.target.name}: every tag already holds it`)}`];
  const verb = change.action === 'push' ? 'push' : change.action === 'copy' ? `copy from ${change.from!.ref}` : `retag ${shortDigest(change.from!.digest)}`;
  const lines = [`        ${verb} → ${push.target.name}`];
  for (const ref of change.write) lines.push(`          ${ref}`);
  for (const repo of change.digestRepositories) lines.push(`          ${style.dim(`${push.target.host}/${repo}@<digest> (untagged, for the index)`)}`);
  return lines;
}

function indexLine(node: IndexNode, change: IndexChange, style: Style): string {
  const where = `index ${node.tag} → ${node.target.name}`;
  switch (change.action) {
    case 'create':
      return `  ${style.green(`+ ${where}`)}  ${style.green('create')}  ${change.ref}  ${style.dim(`(${change.children.map((c) => c.platform).join(', ')})`)}`;
    case 'update':
      return `  ${style.yellow(`~ ${where}`)}  ${style.yellow('update')}  ${change.ref}  ${describeChildren(change)}`;
    case 'unchanged':
      return `  ${style.dim(`= ${where}  unchanged  ${change.ref}`)}`;
  }
}

function describeChildren(change: IndexChange): string {
  if (change.children.length === 0) return '(rewritten in this format)';
  return `(${change.children.map((c) => `${c.platform} ${c.change}`).join(', ')})`;
}
