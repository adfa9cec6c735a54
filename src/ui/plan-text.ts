/**
 * `multiarch plan` for people: the config and the builder it saw, then per image (in dependency
 * order) its builds (native or emulated — loudly when a platform has no emulator), tests, every ref
 * each push writes, each index with its platforms, the planner's notes and a one-line total. Pure.
 */
import path from 'node:path';
import { formatPlatform, qemuArch } from '../config/platform.js';
import { nodeRefs } from '../plan/describe-node.js';
import type { BuildNode, IndexNode, Plan, PlanNode, PushNode, TestNode } from '../plan/nodes.js';
import { createStyle, type Style } from './color.js';
import { plural, wrapText } from './format.js';

export interface PlanTextOptions {
  readonly color: boolean;
}

export const EMULATOR_HINT =
  'install QEMU user emulation and its binfmt handlers (Debian/Ubuntu: sudo apt-get install qemu-user-static binfmt-support), ' +
  'or register them in Docker: docker run --privileged --rm tonistiigi/binfmt --install all';

const KIND_ORDER: readonly PlanNode['kind'][] = ['build', 'test', 'push', 'index'];
const WIDTH = 80;

export function formatPlanText(plan: Plan, options: PlanTextOptions): string {
  const style = createStyle(options.color);
  const nodes = plan.order.map((id) => plan.nodes[id]!);
  const lines: string[] = [`${style.bold('Plan for')} ${plan.configFile}`, ...builderLines(plan, nodes, style)];
  for (const image of imagesInOrder(plan)) {
    const mine = KIND_ORDER.flatMap((kind) => nodes.filter((n) => n.image === image && n.kind === kind));
    const platforms = mine.filter((n): n is BuildNode => n.kind === 'build').map((n) => formatPlatform(n.platform));
    lines.push('', `${style.bold(style.cyan(image))}  ${style.dim(`(${platforms.join(', ')})`)}`);
    for (const node of mine) {
      lines.push(...nodeLines(plan, node, style));
      if (node.kind === 'build' && node === mine.findLast((n) => n.kind === 'build') && !mine.some((n) => n.kind === 'test')) {
        lines.push(`  ${style.dim('test ')} ${style.yellow('none configured: platform images are pushed untested')}`);
      }
    }
  }
  if (plan.notes.length > 0) {
    lines.push('', style.bold('Notes'));
    for (const note of plan.notes) lines.push(`  ${note.image}: ${note.message}`);
  }
  lines.push('', planTotals(plan, style));
  return lines.join('\n');
}

/** `Plan: 6 builds, 6 tests, 6 pushes, 2 indexes — 14 refs to write.` */
export function planTotals(plan: Plan, style: Style = createStyle(false)): string {
  const nodes = Object.values(plan.nodes);
  const count = (kind: PlanNode['kind']) => nodes.filter((n) => n.kind === kind).length;
  const refs = nodes.reduce((sum, n) => sum + nodeRefs(n).length, 0);
  const parts = [
    plural(count('build'), 'build'),
    plural(count('test'), 'test'),
    plural(count('push'), 'push', 'pushes'),
    plural(count('index'), 'index', 'indexes'),
  ];
  return `${style.bold('Plan:')} ${parts.join(', ')} — ${plural(refs, 'ref')} to write.`;
}

/** Image names in the order their first node appears: images they are built on come first. */
export function imagesInOrder(plan: Plan): string[] {
  return [...new Set(plan.order.map((id) => plan.nodes[id]!.image))];
}

function builderLines(plan: Plan, nodes: readonly PlanNode[], style: Style): string[] {
  const builder = plan.facts.builder;
  if (!builder) return [`${style.bold('Builder:')} ${style.dim('not detected — native and emulated platforms are not known')}`];
  // The arches this plan needs, not every handler the kernel has (qemu-user-static registers ~30).
  const needed = new Set(nodes.flatMap((n) => (n.kind === 'build' && n.runs === 'emulated' ? [qemuArch(n.platform)] : [])));
  const relevant = builder.emulated.filter((a) => needed.has(a));
  const others = builder.emulated.length - relevant.length;
  const emulated =
    builder.emulated.length === 0 ? 'none' : `${relevant.length ? relevant.join(', ') : 'none needed'}${others > 0 ? ` (+${others} more available)` : ''}`;
  const lines = [
    ...wrapText(`Builder: ${builder.kind} — ${builder.description}`, WIDTH - 2).map((l, i) => (i === 0 ? l.replace('Builder:', style.bold('Builder:')) : `  ${l}`)),
    ...wrapText(`native ${builder.nativePlatform}; emulated: ${emulated}`, WIDTH - 2, '  ').map((l, i) => (i === 0 ? l : `  ${l}`)),
  ];
  const stuck = nodes.filter((n): n is BuildNode => n.kind === 'build' && n.runs === 'no-emulator');
  if (stuck.length > 0) {
    const which = stuck.map((n) => `${n.image} ${formatPlatform(n.platform)}`).join(', ');
    lines.push(
      style.red(style.bold(`✗ ${plural(stuck.length, 'build')} cannot run on this builder (no emulator): ${which}`)),
      ...wrapText(`hint: ${EMULATOR_HINT}`, WIDTH, '  ').map((l) => style.yellow(l)),
    );
  }
  return lines;
}

function nodeLines(plan: Plan, node: PlanNode, style: Style): string[] {
  switch (node.kind) {
    case 'build':
      return buildLines(plan, node, style);
    case 'test':
      return [`  ${style.dim('test ')} ${formatPlatform(node.platform)}  ${describeTest(node)}`];
    case 'push':
      return pushLines(node, style);
    case 'index':
      return indexLines(node, style);
  }
}

function buildLines(plan: Plan, node: BuildNode, style: Style): string[] {
  const where = path.relative(path.dirname(plan.configFile), node.context) || '.';
  const dockerfile = path.relative(node.context, node.dockerfile);
  const source = [`context ${where.startsWith('.') ? where : `./${where}`}`];
  if (dockerfile !== 'Dockerfile') source.push(`dockerfile ${dockerfile}`);
  if (node.target) source.push(`target ${node.target}`);
  const head = `  ${style.dim('build')} ${formatPlatform(node.platform)}  ${runsText(node, style)}${style.dim(source.join(', '))}`;
  const lines = [head];
  for (const [key, value] of Object.entries(node.args)) {
    if (typeof value === 'string') continue;
    lines.push(`        ${style.dim(`${key} = ${value.ref.repository}@<digest of ${value.ref.image} ${formatPlatform(node.platform)}>`)}`);
  }
  if (node.runs === 'no-emulator') {
    lines.push(`        ${style.red(style.bold('✗ no emulator for this platform: this build will fail (see the hint above)'))}`);
  }
  return lines;
}

function runsText(node: BuildNode, style: Style): string {
  switch (node.runs) {
    case 'native':
      return `${style.green('native')}  `;
    case 'emulated':
      return `${style.yellow('emulated (QEMU)')}  `;
    case 'no-emulator':
      return `${style.red(style.bold('NO EMULATOR'))}  `;
    default:
      return '';
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

function pushLines(node: PushNode, style: Style): string[] {
  const lines = [`  ${style.dim('push ')} ${formatPlatform(node.platform)} → ${node.target.name}  ${style.dim(`(${node.format})`)}`];
  for (const ref of nodeRefs(node)) lines.push(`          ${ref}`);
  for (const repo of node.digestRepositories) lines.push(`          ${style.dim(`${node.target.host}/${repo}@<digest> (untagged, for the index)`)}`);
  if (node.copyFrom) lines.push(`          ${style.dim(`copied from ${node.copyFrom.replace(/^push:/, '')} (same manifest and blobs, no export)`)}`);
  return lines;
}

function indexLines(node: IndexNode, style: Style): string[] {
  const children = node.children.map((c) => formatPlatform(c.platform)).join(', ');
  return [
    `  ${style.dim('index')} ${node.tag} → ${node.target.name}  ${style.dim(`(${node.format})`)}`,
    ...nodeRefs(node).map((ref) => `          ${ref}  ${style.dim(`← ${children}`)}`),
  ];
}
