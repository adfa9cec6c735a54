/**
 * `multiarch plan` for people: the config and the builder it saw, then per image (in dependency
 * order) its builds (native or emulated — loudly when a platform has no emulator), tests, every ref
 * each push writes, each index with its platforms, the planner's notes and a one-line total. Like
 * Terraform, each step starts with a coloured symbol for what will happen to it (plan-symbols.ts),
 * and everything wraps to `width` columns (80 by default), continuation lines indented. Prepare
 * steps, scans and per-platform builders show up when the config has them. Pure.
 */
import path from 'node:path';
import { formatPlatform, qemuArch } from '../../config/platform.js';
import { nodeRefs } from '../../plan/describe-node.js';
import type { BuildNode, IndexNode, Plan, PlanNode, PrepareNode, PushNode, TestNode } from '../../plan/nodes.js';
import { createStyle, type Style } from '../color.js';
import { plural } from '../../text/plural.js';
import { wrapSegments, wrapText, type Segment } from '../../text/text-width.js';
import { describeCache } from './plan-cache.js';
import { builderSectionLines, buildPlacement } from './plan-builders.js';
import { scanDetails, scanHead } from './plan-scan.js';
import { actionLegend, PLAN_ACTIONS, type PlanAction } from './plan-symbols.js';
import { stepLines, type Look } from './plan-step.js';
import { supplyLines } from './plan-supply.js';
import { repositoryLines, repositoryTotal } from './plan-repositories.js';

export { stepLines, type Look } from './plan-step.js';

export interface PlanTextOptions {
  readonly color: boolean;
  /** Columns to fit; default 80. */
  readonly width?: number;
  /** What will happen to each node; default: every node is created (run). */
  readonly actionOf?: (node: PlanNode) => PlanAction;
}


export const EMULATOR_HINT =
  'install QEMU user emulation and its binfmt handlers (Debian/Ubuntu: sudo apt-get install qemu-user-static binfmt-support), ' +
  'or register them in Docker: docker run --privileged --rm tonistiigi/binfmt --install all';

const KIND_ORDER: readonly PlanNode['kind'][] = ['prepare', 'build', 'test', 'scan', 'push', 'index'];
/** `  + build ` : where a step's text and the lines under it (refs, args) start. */
const HANG = ' '.repeat(10);
/** Continuation lines of a step or a detail line: two further in, so they read as part of it. */
const CONTINUE = ' '.repeat(12);

export function formatPlanText(plan: Plan, options: PlanTextOptions): string {
  const style = createStyle(options.color);
  const look: Look = { style, width: Math.max(40, options.width ?? 80), actionOf: options.actionOf ?? (() => 'create') };
  const nodes = plan.order.map((id) => plan.nodes[id]!);
  const lines: string[] = [
    ...wrapSegments([{ text: 'Plan for', style: style.bold }, { text: ` ${plan.configFile}` }], look.width, '', '  '),
    ...builderLines(plan, nodes, look),
    ...builderSectionLines(plan, nodes, style),
  ];
  const legend = actionLegend(new Set(nodes.map(look.actionOf)), style);
  if (legend) lines.push('', legend);
  lines.push(...repositoryLines(plan, look.width, style));
  for (const image of imagesInOrder(plan)) {
    const mine = KIND_ORDER.flatMap((kind) => nodes.filter((n) => n.image === image && n.kind === kind));
    // A merge plan has no builds: its platforms are its pushes'.
    const platforms = [...new Set(mine.filter((n): n is BuildNode | PushNode => n.kind === 'build' || n.kind === 'push').map((n) => formatPlatform(n.platform)))];
    lines.push('', ...wrapSegments([{ text: image, style: (t) => style.bold(style.cyan(t)) }, { text: `  (${platforms.join(', ')})`, style: style.dim }], look.width, '', '  '));
    for (const node of mine) {
      lines.push(...nodeLines(plan, node, look));
      if (node.kind === 'build' && node === mine.findLast((n) => n.kind === 'build') && !mine.some((n) => n.kind === 'test')) {
        lines.push(...stepLines(undefined, 'test', [{ text: 'none configured: platform images are pushed untested', style: style.yellow }], look));
      }
    }
  }
  if (plan.notes.length > 0) {
    lines.push('', style.bold('Notes'));
    for (const note of plan.notes) lines.push(...wrapText(`${note.image}: ${note.message}`, look.width, '  ').map((l, i) => (i === 0 ? l : `  ${l}`)));
  }
  lines.push('', ...wrapSegments([{ text: planTotals(plan, style) }], look.width));
  return lines.join('\n');
}

/** Lines under a step (refs, build args), at the step's text column. */
function detailLines(segments: readonly Segment[], look: Look): string[] {
  return wrapSegments(segments, look.width, HANG, CONTINUE);
}

/** `Plan: 6 builds, 6 tests, 6 pushes, 2 indexes — 14 refs to write.` */
export function planTotals(plan: Plan, style: Style = createStyle(false)): string {
  const nodes = Object.values(plan.nodes);
  const count = (kind: PlanNode['kind']) => nodes.filter((n) => n.kind === kind).length;
  const refs = nodes.reduce((sum, n) => sum + nodeRefs(n).length, 0);
  const parts = [
    ...(count('prepare') > 0 ? [plural(count('prepare'), 'prepare step')] : []),
    plural(count('build'), 'build'),
    plural(count('test'), 'test'),
    // Only plans that scan mention scans: a plan without them reads as before.
    ...(count('scan') > 0 ? [plural(count('scan'), 'scan')] : []),
    plural(count('push'), 'push', 'pushes'),
    plural(count('index'), 'index', 'indexes'),
  ];
  const repositories = repositoryTotal(plan);
  if (repositories) parts.push(repositories);
  return `${style.bold('Plan:')} ${parts.join(', ')} — ${plural(refs, 'ref')} to write.`;
}

/** Image names in the order their first node appears: images they are built on come first. */
export function imagesInOrder(plan: Plan): string[] {
  return [...new Set(plan.order.map((id) => plan.nodes[id]!.image))];
}

export function builderLines(plan: Plan, nodes: readonly PlanNode[], { style, width }: Look): string[] {
  const builder = plan.facts.builder;
  // Nothing for an engine to build (a merge, or every image assembled directly): which builder
  // there is does not matter (and none was looked for).
  if (!nodes.some((n) => n.kind === 'build' && !n.direct)) return [];
  if (!builder) return [`${style.bold('Builder:')} ${style.dim('not detected — native and emulated platforms are not known')}`];
  // The arches this plan needs, not every handler the kernel has (qemu-user-static registers ~30).
  const needed = new Set(nodes.flatMap((n) => (n.kind === 'build' && n.runs === 'emulated' ? [qemuArch(n.platform)] : [])));
  const relevant = builder.emulated.filter((a) => needed.has(a));
  const others = builder.emulated.length - relevant.length;
  const emulated =
    builder.emulated.length === 0 ? 'none' : `${relevant.length ? relevant.join(', ') : 'none needed'}${others > 0 ? ` (+${others} more available)` : ''}`;
  const lines = [
    ...wrapText(`Builder: ${builder.kind} — ${builder.description}`, width - 2).map((l, i) => (i === 0 ? l.replace('Builder:', style.bold('Builder:')) : `  ${l}`)),
    ...wrapText(`native ${builder.nativePlatform}; emulated: ${emulated}`, width - 2, '  ').map((l, i) => (i === 0 ? l : `  ${l}`)),
  ];
  const stuck = nodes.filter((n): n is BuildNode => n.kind === 'build' && n.runs === 'no-emulator');
  if (stuck.length > 0) {
    const which = stuck.map((n) => `${n.image} ${formatPlatform(n.platform)}`).join(', ');
    lines.push(
      ...wrapText(`✗ ${plural(stuck.length, 'build')} cannot run on this builder (no emulator): ${which}`, width).map((l, i) => style.red(style.bold(i === 0 ? l : `  ${l}`))),
      ...wrapText(`hint: ${EMULATOR_HINT}`, width, '  ').map((l) => style.yellow(l)),
    );
  }
  return lines;
}

/** A node as `plan` prints it (also under each rebuilt platform of an incremental plan). */
export function nodeLines(plan: Plan, node: PlanNode, look: Look): string[] {
  const action = look.actionOf(node);
  switch (node.kind) {
    case 'prepare':
      return prepareLines(node, action, look);
    case 'build':
      return buildLines(plan, node, action, look);
    case 'test':
      return stepLines(action, 'test', [{ text: `${formatPlatform(node.platform)}  ${describeTest(node)}` }], look);
    case 'scan':
      return [
        ...stepLines(action, 'scan', [{ text: `${formatPlatform(node.platform)}  ${scanHead(node)}` }], look),
        ...scanDetails(node, look.style).flatMap((segment) => detailLines([segment], look)),
      ];
    case 'push':
      return [...pushLines(node, action, look), ...supplyLines(plan, node, look)];
    case 'index':
      return [...indexLines(node, action, look), ...supplyLines(plan, node, look)];
  }
}

function buildLines(plan: Plan, node: BuildNode, action: PlanAction, look: Look): string[] {
  const { style } = look;
  const where = path.relative(path.dirname(plan.configFile), node.context) || '.';
  const dockerfile = path.relative(node.context, node.dockerfile);
  const source = [`context ${where.startsWith('.') ? where : `./${where}`}`];
  if (dockerfile !== 'Dockerfile') source.push(`dockerfile ${dockerfile}`);
  if (node.target) source.push(`target ${node.target}`);
  const placement = node.direct ? undefined : buildPlacement(plan, node);
  const lines = stepLines(
    action,
    'build',
    [{ text: `${formatPlatform(node.platform)}  ` }, ...(placement ? [{ text: placement, style: style.dim }] : []), ...pathText(node, style), ...runsText(node, style), { text: source.join(', '), style: style.dim }],
    look,
  );
  // Why the engine builds it, when the image could otherwise have been assembled directly.
  if (node.engineReason) lines.push(...detailLines([{ text: `engine: ${node.engineReason}`, style: style.dim }], look));
  for (const [key, value] of Object.entries(node.args)) {
    if (typeof value === 'string') continue;
    lines.push(...detailLines([{ text: `${key} = ${value.ref.repository}@<digest of ${value.ref.image} ${formatPlatform(node.platform)}>`, style: style.dim }], look));
  }
  // An assembled (direct) build runs no engine and reads no layer cache.
  if (!node.direct && (action === 'create' || action === 'rebuild')) lines.push(...detailLines([{ text: describeCache(node), style: style.dim }], look));
  if (node.runs === 'no-emulator') {
    lines.push(...detailLines([{ text: '✗ no emulator for this platform: this build will fail (see the hint above)', style: (t) => style.red(style.bold(t)) }], look));
  }
  return lines;
}

function prepareLines(node: PrepareNode, action: PlanAction, look: Look): string[] {
  const { style } = look;
  return stepLines(
    action,
    'prep',
    [
      { text: `${formatPlatform(node.platform)}  on the host: ` },
      { text: node.source.description, style: style.dim },
      ...(node.outputs.length ? [{ text: `  → ${node.outputs.join(', ')}`, style: style.dim }] : []),
    ],
    look,
  );
}

/** Assembled without an engine (docs/direct-builds.md). */
function pathText(node: BuildNode, style: Style): Segment[] {
  return node.direct ? [{ text: 'direct (no engine)', style: style.green }, { text: '  ' }] : [];
}

function runsText(node: BuildNode, style: Style): Segment[] {
  switch (node.runs) {
    case 'native':
      return [{ text: 'native', style: style.green }, { text: '  ' }];
    case 'emulated':
      return [{ text: 'emulated (QEMU)', style: style.yellow }, { text: '  ' }];
    case 'no-emulator':
      return [{ text: 'NO EMULATOR', style: (t) => style.red(style.bold(t)) }, { text: '  ' }];
    default:
      return [];
  }
}

export function describeTest(node: TestNode): string {
  const parts: string[] = [];
  if (node.command) {
    const command = node.command.map((a) => (/[\s"'`$]/.test(a) ? JSON.stringify(a) : a)).join(' ');
    parts.push(`run \`${command}\``);
    if (node.expectOutput !== undefined) parts.push(`expect output to contain ${JSON.stringify(node.expectOutput)}`);
  }
  if (node.http) {
    const h = node.http;
    parts.push(`http GET :${h.port}${h.path} → ${h.expectStatus} within ${h.timeoutSeconds}s`);
  }
  if (parts.length === 0) return 'no command or probe configured';
  return `${parts.join(', ')} (timeout ${node.timeoutSeconds}s)`;
}

function pushLines(node: PushNode, action: PlanAction, look: Look): string[] {
  const { style } = look;
  const lines = stepLines(action, 'push', [{ text: `${formatPlatform(node.platform)} → ${node.target.name}  ` }, { text: `(${node.format})`, style: style.dim }], look);
  for (const ref of nodeRefs(node)) lines.push(...detailLines([{ text: ref }], look));
  for (const repo of node.digestRepositories) {
    lines.push(...detailLines([{ text: `${node.target.host}/${repo}@<digest> (untagged, for the index)`, style: style.dim }], look));
  }
  if (node.copyFrom) {
    lines.push(...detailLines([{ text: `copied from ${node.copyFrom.replace(/^push:/, '')} (same manifest and blobs, no export)`, style: style.dim }], look));
  }
  return lines;
}

function indexLines(node: IndexNode, action: PlanAction, look: Look): string[] {
  const { style } = look;
  const children = node.children.map((c) => formatPlatform(c.platform)).join(', ');
  return [
    ...stepLines(action, 'index', [{ text: `${node.tag} → ${node.target.name}  ` }, { text: `(${node.format})`, style: style.dim }], look),
    ...nodeRefs(node).flatMap((ref) => detailLines([{ text: `${ref}  ` }, { text: `← ${children}`, style: style.dim }], look)),
  ];
}
