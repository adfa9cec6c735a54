/**
 * Saved plans: `plan --out plan.json` writes the plan JSON (docs/plan-json.md, the same document
 * `plan --json` prints: every node's action, the inputs digests, the refs, and the fingerprint of
 * the inputs and registry state it was made from); `apply plan.json` parses it with its zod schema
 * (here) and checks the world still matches (facts/saved-plan.ts) before doing exactly that. Secret-looking build args are saved
 * as `***` and taken from the config again; prepare functions are taken from the config and checked
 * against the source fingerprint the plan records.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { MultiarchError } from '../errors/multiarch-error.js';
import type { Plan } from '../plan/nodes.js';
import { toPlanJson } from '../ui/plan/plan-json.js';
import { fromPlanJson, type PlanJsonIssue } from '../ui/plan/plan-json-read.js';
import { PLAN_JSON_VERSION, planJsonSchema } from '../ui/plan/plan-json-schema.js';

const REMAKE = 're-run `multiarch plan --out plan.json` with this multiarch, review it, and apply that';
/** How many wrong fields an error lists before "… and N more". */
const SHOWN_ISSUES = 12;

export async function writePlanFile(file: string, plan: Plan): Promise<void> {
  await writeFile(file, `${JSON.stringify(toPlanJson(plan), null, 2)}\n`);
}

export async function readPlanFile(file: string): Promise<Plan> {
  const name = path.basename(file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new MultiarchError('E_PLAN_FILE', `cannot read the saved plan ${file}: ${(error as Error).message}`, { hint: 'save one with `multiarch plan --out plan.json`' });
  }
  const version = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).schemaVersion : undefined;
  if (version !== PLAN_JSON_VERSION) {
    const old = typeof parsed === 'object' && parsed !== null && (parsed as Record<string, unknown>).version === 1 && version === undefined;
    const what = old
      ? 'was saved by an older multiarch (its own internal plan, before saved plans were the plan JSON)'
      : version === undefined
        ? 'is not a plan saved by `multiarch plan --out` (no schemaVersion)'
        : `has schemaVersion ${JSON.stringify(version)}; this multiarch applies plans of schemaVersion ${PLAN_JSON_VERSION}`;
    throw new MultiarchError('E_PLAN_FILE', `${name} ${what}`, { hint: REMAKE });
  }
  const checked = planJsonSchema.safeParse(parsed);
  if (!checked.success) throw badPlan(file, checked.error.issues.map(zodIssue), parsed);
  const read = fromPlanJson(checked.data);
  if (!read.ok) throw badPlan(file, read.issues, parsed);
  if (!read.plan.changes) {
    throw new MultiarchError('E_PLAN_FILE', `${name} was saved without registry state (no Docker engine was found when it was made), so it cannot be checked before it is applied`, {
      hint: 'make it again where `multiarch plan` finds a Docker engine',
    });
  }
  return read.plan;
}

function zodIssue(issue: z.core.$ZodIssue): PlanJsonIssue {
  return { path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: issue.message };
}

/** Names each wrong field by its path (and the node it is in), e.g. `images[1].nodes[2] (push:web@…).action`. */
function badPlan(file: string, issues: readonly PlanJsonIssue[], json: unknown): MultiarchError {
  const lines = issues.slice(0, SHOWN_ISSUES).map((i) => `${fieldPath(i.path, json)}: ${i.message}`);
  if (issues.length > SHOWN_ISSUES) lines.push(`… and ${issues.length - SHOWN_ISSUES} more`);
  const count = issues.length === 1 ? 'a field is' : `${issues.length} fields are`;
  return new MultiarchError('E_PLAN_FILE', `${path.basename(file)} is not a plan multiarch can apply: ${count} missing or wrong (was it edited, or made by another multiarch version?)`, {
    details: lines,
    hint: REMAKE,
  });
}

function fieldPath(at: ReadonlyArray<string | number>, json: unknown): string {
  let text = '';
  let value: unknown = json;
  at.forEach((key, i) => {
    text += typeof key === 'number' ? `[${key}]` : `${text ? '.' : ''}${key}`;
    value = typeof value === 'object' && value !== null ? (value as Record<string | number, unknown>)[key] : undefined;
    const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
    // Inside a node: say which one, since indexes alone do not.
    if (at[i - 1] === 'nodes' && typeof id === 'string') text += ` (${id})`;
  });
  return text || '(the document)';
}
