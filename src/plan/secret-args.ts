/**
 * The one redaction policy for build args in every output of a plan (text, `--json`, `--out`):
 * an arg whose name or value looks like a credential is shown as `***`. The text view shows no
 * literal arg values at all; JSON and saved plans carry `***`, and `apply plan.json` takes the
 * real value from the config again (the plan names its config file). Pure.
 */
import type { BuildArg, Plan, PlanNode } from './nodes.js';

export const REDACTED_ARG = '***';

const SECRET_NAME = /(?:^|[_-])(?:pass(?:word)?|passwd|pwd|secret|token|api[_-]?key|private[_-]?key|credentials?|auth|access[_-]?key)(?:$|[_-])/i;
/** Token formats that are secrets whatever the arg is called (GitHub, GitLab, AWS, Slack, npm). */
const SECRET_VALUE = /^(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}|glpat-[\w-]{20,}|AKIA[0-9A-Z]{16}|xox[abpr]-[\w-]{10,}|npm_[A-Za-z0-9]{30,})$/;

export function isSecretArg(name: string, value: BuildArg): boolean {
  return typeof value === 'string' && value !== '' && (SECRET_NAME.test(name) || SECRET_VALUE.test(value));
}

export function redactArgs(args: Readonly<Record<string, BuildArg>>): Record<string, BuildArg> {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, isSecretArg(k, v) ? REDACTED_ARG : v]));
}

/** A saved plan's redacted args, filled in again from the config's (`args` of the node's image). */
export function restorePlanArgs<T extends Pick<Plan, 'nodes'>>(plan: T, argsOf: (image: string) => Readonly<Record<string, unknown>> | undefined): T {
  const nodes: Record<string, PlanNode> = {};
  for (const [id, node] of Object.entries(plan.nodes)) {
    if (node.kind !== 'build') {
      nodes[id] = node;
      continue;
    }
    const source = argsOf(node.image) ?? {};
    const args = Object.fromEntries(
      Object.entries(node.args).map(([k, v]) => [k, v === REDACTED_ARG && typeof source[k] === 'string' ? (source[k] as string) : v]),
    );
    nodes[id] = { ...node, args };
  }
  return { ...plan, nodes };
}
