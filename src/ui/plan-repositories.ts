/**
 * The ECR repositories apply creates, as `plan` shows them (text, Markdown, JSON):
 * `+ repository team/web → ecr  (immutable tags, scan on push)`, "if missing" when the registry
 * could not be read before planning. Pure.
 */
import { describeEcrSettings } from '../config/ecr-repositories.js';
import { plannedRepositories } from '../plan/ecr-repositories.js';
import type { Plan } from '../plan/nodes.js';
import type { Style } from './color.js';
import { plural, wrapSegments } from './format.js';

export interface PlanJsonRepository {
  /** The registry's name in the config. */
  readonly registry: string;
  /** `123456789012.dkr.ecr.us-west-2.amazonaws.com/team/web` */
  readonly ref: string;
  readonly repository: string;
  readonly account: string;
  readonly region: string;
  readonly settings: {
    readonly imageTagMutability: 'MUTABLE' | 'IMMUTABLE' | null;
    readonly scanOnPush: boolean | null;
    readonly encryption: { readonly type: 'AES256' } | { readonly type: 'KMS'; readonly kmsKey: string } | null;
    readonly lifecyclePolicy: string | null;
  };
  /** false: existence could not be read; apply creates it unless it is there. */
  readonly checked: boolean;
  /** The push and index nodes that wait for it (it is created before the first of them writes). */
  readonly nodes: readonly string[];
}

export function repositoriesJson(plan: Plan): PlanJsonRepository[] {
  return plannedRepositories(plan).map((r) => ({
    registry: r.target.name,
    ref: `${r.target.host}/${r.repository}`,
    repository: r.repository,
    account: r.account,
    region: r.region,
    settings: {
      imageTagMutability: r.settings.imageTagMutability ?? null,
      scanOnPush: r.settings.scanOnPush ?? null,
      encryption: r.settings.encryption ?? null,
      lifecyclePolicy: r.settings.lifecyclePolicy ?? null,
    },
    checked: r.checked,
    nodes: plan.order.filter((id) => {
      const n = plan.nodes[id]!;
      return (n.kind === 'push' || n.kind === 'index') && n.target.name === r.target.name && (n.createRepositories ?? []).some((c) => c.repository === r.repository);
    }),
  }));
}

/** `+ repository team/web → ecr  (immutable tags, scan on push)`, one per repository: the text plan's section. */
export function repositoryLines(plan: Plan, width: number, style: Style): string[] {
  const planned = plannedRepositories(plan);
  if (planned.length === 0) return [];
  const lines = ['', style.bold('ECR repositories')];
  for (const r of planned) {
    lines.push(
      ...wrapSegments(
        [
          { text: '+ ', style: style.green },
          { text: `repository ${r.repository} → ${r.target.name}` },
          { text: `  (${describeEcrSettings(r.settings)})${r.checked ? '' : ' if missing'}`, style: style.dim },
          { text: '  create', style: style.green },
        ],
        width,
        '  ',
        '    ',
      ),
    );
  }
  return lines;
}

/** `, 1 repository to create` for the closing line; nothing when there is none. */
export function repositoryTotal(plan: Plan): string {
  const n = plannedRepositories(plan).length;
  return n > 0 ? `${plural(n, 'ECR repository', 'ECR repositories')} to create` : '';
}

/** The Markdown block's lines: `- + team/web → ecr (immutable tags)`. */
export function repositoryMarkdown(plan: Plan, code: (text: string) => string): string[] {
  return plannedRepositories(plan).map((r) => `- <code>+</code> ${code(`${r.target.host}/${r.repository}`)} (${describeEcrSettings(r.settings)})${r.checked ? '' : ' if missing'}`);
}
