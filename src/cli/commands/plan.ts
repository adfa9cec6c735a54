/** `multiarch plan`: the graph apply would run and every ref it would write. Writes nothing. */
import { shouldUseColor } from '../../ui/color.js';
import { toPlanJson } from '../../ui/plan-json.js';
import { formatPlanText } from '../../ui/plan-text.js';
import type { CliOptions } from '../args.js';
import type { CliIo } from '../io.js';
import { preparePlan } from '../prepare-plan.js';

export async function planCommand(options: CliOptions, io: CliIo): Promise<number> {
  const { plan, builderProblem } = await preparePlan(options, io, false);
  if (options.json) {
    io.stdout(`${JSON.stringify(toPlanJson(plan), null, 2)}\n`);
    return 0;
  }
  const color = shouldUseColor({ isTTY: io.isTTY, env: io.env, ...(options.color !== undefined ? { flag: options.color } : {}) });
  // At most 80 columns (also in logs), fewer on a narrower terminal.
  io.stdout(`${formatPlanText(plan, { color, width: Math.min(80, io.columns ?? 80) })}\n`);
  if (builderProblem) io.stderr(`\nnote: no builder detected: ${builderProblem}; apply needs a running Docker engine.\n`);
  return 0;
}
