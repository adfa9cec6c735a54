/**
 * unknown → a ResolvedConfig, or every problem with it at once. Schema errors come first (shape),
 * then normalisation (platforms, registry hosts), then cross-field rules, which only run on a
 * config whose shape is right. Pure.
 */
import type { z } from 'zod';
import type { ConfigIssue, ConfigPath } from './issue.js';
import { normalizeConfig } from './normalize.js';
import type { ResolvedConfig } from './resolved.js';
import { checkRules } from './rules.js';
import { checkScanRules } from './scan.js';
import { configSchema } from './schema.js';
import { closest } from './suggest.js';

export type ValidateResult = { ok: true; config: ResolvedConfig } | { ok: false; issues: ConfigIssue[] };

/** `file` is the config's absolute path: relative paths in the config start at its directory. */
export function validateConfig(input: unknown, file: string): ValidateResult {
  // reportInput: without it zod leaves `input` off every issue, and a wrong type would read as missing.
  const parsed = configSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.flatMap(toConfigIssues) };
  const { config, issues } = normalizeConfig(parsed.data, file);
  const names = Object.keys(parsed.data.images);
  const all = [...issues, ...checkRules(config), ...checkScanRules(parsed.data.scan, names, (name) => closest(name, names))];
  return all.length > 0 ? { ok: false, issues: all } : { ok: true, config };
}

function toConfigIssues(issue: z.core.$ZodIssue): ConfigIssue[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(path);
    return issue.keys.map((key) => {
      const guess = closest(key, known);
      return {
        path: [...path, key],
        message: `unknown key "${key}"${guess ? ` — did you mean "${guess}"?` : ''}`,
        hint: known.length ? `allowed here: ${known.join(', ')}` : 'remove it',
      };
    });
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [{ path, message: `${String(path.at(-1) ?? 'value')} is required`, hint: `expected ${issue.expected}` }];
  }
  // A missing field whose schema is a union (`tags`: a list or gitTags()): named like any missing field.
  if (issue.code === 'invalid_union' && issue.input === undefined) {
    const first = issue.errors[0]?.[0];
    return [{ path, message: `${String(path.at(-1) ?? 'value')} is required`, ...(first?.code === 'invalid_type' ? { hint: `expected ${first.expected}` } : {}) }];
  }
  return [{ path, message: issue.message }];
}

type AnySchema = { def: Record<string, unknown> & { type: string } };

/** The keys the schema allows for the object at `path`, for "did you mean". */
function knownKeysAt(path: ConfigPath): string[] {
  let node: AnySchema | undefined = configSchema as unknown as AnySchema;
  for (const seg of path) {
    node = unwrap(node);
    if (!node) return [];
    const def = node.def;
    if (def.type === 'object') node = (def.shape as Record<string, AnySchema>)[String(seg)];
    else if (def.type === 'record') node = def.valueType as AnySchema;
    else if (def.type === 'array') node = def.element as AnySchema;
    else return [];
  }
  node = unwrap(node);
  return node?.def.type === 'object' ? Object.keys(node.def.shape as object) : [];
}

function unwrap(node: AnySchema | undefined): AnySchema | undefined {
  while (node && ['optional', 'default', 'nullable', 'readonly'].includes(node.def.type)) {
    node = node.def.innerType as AnySchema;
  }
  if (node?.def.type === 'union') {
    return (node.def.options as AnySchema[]).map(unwrap).find((o) => o?.def.type === 'object') ?? node;
  }
  return node;
}
