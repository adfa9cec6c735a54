/**
 * `multiarch plan`: what apply would change in the registries and why — per image and platform,
 * per index — and the graph it would run. Writes nothing to registries; `--out` saves the plan for
 * `apply plan.json`, `--out-markdown` the Markdown plan for a pull request. With
 * `--detailed-exitcode`: 0 no changes, 2 changes (signatures and attestations to write count),
 * 1 error. `--merge DIR...` checks the shards and shows the pushes and indexes a merge would write.
 */
import path from 'node:path';
import { shouldUseColor } from '../../ui/color.js';
import { formatPlanChanges, planHasChanges } from '../../ui/plan/plan-changes.js';
import { toPlanJson } from '../../ui/plan/plan-json.js';
import { formatPlanMarkdown } from '../../ui/plan/plan-markdown.js';
import { formatPlanText } from '../../ui/plan/plan-text.js';
import type { CliOptions } from '../args.js';
import type { CliIo } from '../io.js';
import { writePlanFile } from '../plan-file.js';
import { writePlanMarkdown } from '../plan-markdown-file.js';
import { makePlan } from '../make-plan.js';

export async function planCommand(options: CliOptions, io: CliIo): Promise<number> {
  const { plan, builderProblem } = await makePlan(options, io, false);
  if (options.out) await writePlanFile(path.resolve(io.cwd, options.out), plan);
  const markdown = options.outMarkdown || options.format === 'markdown' || io.env.GITHUB_ACTIONS === 'true' ? formatPlanMarkdown(plan, markdownOptions(options)) : undefined;
  if (markdown) await writePlanMarkdown(plan, markdown, options, io);
  // A signature or attestation still to write, or an ECR repository to create, is a change: apply would write.
  const changed = planHasChanges(plan);
  const exitCode = options.detailedExitcode && changed ? 2 : 0;
  if (options.json) {
    io.stdout(`${JSON.stringify(toPlanJson(plan), null, 2)}\n`);
    return exitCode;
  }
  if (options.format === 'markdown') {
    io.stdout(markdown!);
    return exitCode;
  }
  const color = shouldUseColor({ isTTY: io.isTTY, env: io.env, ...(options.color !== undefined ? { flag: options.color } : {}) });
  // At most 80 columns (also in logs), fewer on a narrower terminal.
  const width = Math.min(80, io.columns ?? 80);
  io.stdout(`${plan.changes ? formatPlanChanges(plan, { color, width, verbose: options.verbose }) : formatPlanText(plan, { color, width })}\n`);
  if (builderProblem) io.stderr(`\nnote: no builder detected: ${builderProblem}; apply needs a running Docker engine.\n`);
  if (options.out) io.stderr(`\nSaved the plan to ${options.out}; \`multiarch apply ${options.out}\` does exactly this (and refuses if anything changed meanwhile).\n`);
  return exitCode;
}

/** A cut Markdown plan points at the whole one: the file written next to it, when there is one. */
function markdownOptions(options: CliOptions): Parameters<typeof formatPlanMarkdown>[1] {
  return options.outMarkdown ? { fullPlanAt: options.outMarkdown } : {};
}
