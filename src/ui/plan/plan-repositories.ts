/**
 * The ECR repositories apply creates, as `plan` shows them (text, Markdown; JSON: plan-json-ecr.ts):
 * `+ repository team/web → ecr  (immutable tags, scan on push)`, "if missing" when the registry
 * could not be read before planning. Pure.
 */
import { describeEcrSettings } from '../../config/ecr-repositories.js';
import { plannedRepositories } from '../../plan/ecr-repositories.js';
import type { Plan } from '../../plan/nodes.js';
import type { Style } from '../color.js';
import { plural } from '../../text/plural.js';
import { wrapSegments } from '../../text/text-width.js';

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
