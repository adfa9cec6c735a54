/**
 * The "Builders" part of `multiarch plan`: for a config that routes platforms to engines of their
 * own, each builder the plan uses — where its engine is, whether it answered (and if not, why, and
 * which builds will fail), its native platform, and which of its builds run natively or emulated.
 * Pure.
 */
import { describeEndpoint, type ResolvedBuilder } from '../../config/builders.js';
import { formatPlatform } from '../../config/platform.js';
import { isAmbient } from '../../plan/engines.js';
import type { BuildNode, Plan, PlanNode } from '../../plan/nodes.js';
import type { Style } from '../color.js';
import { plural } from '../../text/plural.js';

/** Whether the plan is worth a Builders section: some build runs elsewhere than the ambient engine. */
export function hasOwnBuilders(plan: Plan): boolean {
  return Object.values(plan.builders).some((b) => !isAmbient(b) || b.name !== 'default' || b.concurrency !== undefined);
}

export function builderSectionLines(plan: Plan, nodes: readonly PlanNode[], style: Style): string[] {
  if (!hasOwnBuilders(plan)) return [];
  const lines = [style.bold('Builders:')];
  for (const builder of Object.values(plan.builders)) {
    const builds = nodes.filter((n): n is BuildNode => n.kind === 'build' && n.builder === builder.name);
    lines.push(...builderLines(plan, builder, builds, style));
  }
  return lines;
}

function builderLines(plan: Plan, builder: ResolvedBuilder, builds: readonly BuildNode[], style: Style): string[] {
  const where = `${builder.name} → ${describeEndpoint(builder.docker)}${builder.concurrency !== undefined ? `, ${builder.concurrency} at once` : ''}`;
  const engine = plan.facts.engines?.[builder.name];
  if (engine && !engine.reachable) {
    return [
      style.red(style.bold(`  ✗ ${where}: unreachable — ${engine.problem}`)),
      style.red(`      its ${plural(builds.length, 'build')} will fail: ${builds.map((b) => `${b.image} ${formatPlatform(b.platform)}`).join(', ')}`),
    ];
  }
  const seen = engine ? `engine ${engine.version ? `${engine.version} ` : ''}${engine.nativePlatform}` : style.dim('engine not checked');
  const runs = (kind: BuildNode['runs']) => [...new Set(builds.filter((b) => b.runs === kind).map((b) => formatPlatform(b.platform)))];
  const parts = [
    runs('native').length ? style.green(`native ${runs('native').join(', ')}`) : '',
    runs('emulated').length ? style.yellow(`emulated ${runs('emulated').join(', ')}`) : '',
    runs('no-emulator').length ? style.red(`no emulator for ${runs('no-emulator').join(', ')}`) : '',
  ].filter(Boolean);
  return [`  ${where}: ${seen}${parts.length ? ` — ${parts.join('; ')}` : ''}`];
}

/** `on linux/arm64  ` for a build line when builds are spread over builders; else empty. */
export function buildPlacement(plan: Plan, node: BuildNode): string {
  return hasOwnBuilders(plan) ? `on ${node.builder}  ` : '';
}
