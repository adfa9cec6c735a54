/**
 * unknown → a ResolvedConfig, or every problem with it at once. Schema errors come first (shape),
 * then normalisation (platforms, registry hosts), then cross-field rules, which only run on a
 * config whose shape is right. Pure.
 */
import { config as zodConfig, type z } from 'zod';
import { checkRecordKeys } from './record-keys.js';
import type { ConfigIssue, ConfigPath } from './issue.js';
import { normalizeConfig } from './normalize.js';
import type { ResolvedConfig } from './resolved.js';
import { checkRules } from './rules.js';
import { checkScanRules } from './scan.js';
import { builderSchema, configSchema, imageSchema, registrySchema, type UserConfig } from './schema.js';
import { closest } from './suggest.js';

// A config is validated once per run: compiling zod's fast path (new Function per schema) costs
// more than it saves for one parse.
zodConfig({ jitless: true });

export type ValidateResult = { ok: true; config: ResolvedConfig } | { ok: false; issues: ConfigIssue[] };

/** `file` is the config's absolute path: relative paths in the config start at its directory. */
export function validateConfig(input: unknown, file: string): ValidateResult {
  const keyIssues = checkRecordKeys(input);
  // reportInput: without it zod leaves `input` off every issue, and a wrong type would read as missing.
  const parsed = configSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    // Entries whose own shape is right are still normalised, so a bad builder does not hide a bad
    // platform in an image. Cross-field rules wait for a whole config: they would blame the gaps.
    const partial = parseWellFormedEntries(input);
    const later = partial ? normalizeConfig(partial, file).issues : [];
    return { ok: false, issues: [...keyIssues, ...parsed.error.issues.flatMap(toConfigIssues), ...later] };
  }
  const { config, issues } = normalizeConfig(parsed.data, file);
  const names = Object.keys(parsed.data.images);
  const declared = new Set(Object.keys(parsed.data.registries ?? {}));
  const all = [...keyIssues, ...issues, ...checkRules(config, declared), ...checkScanRules(parsed.data.scan, names, (name) => closest(name, names))];
  return all.length > 0 ? { ok: false, issues: all } : { ok: true, config };
}

/** The config with only the registries, images and builders that pass the schema on their own. */
function parseWellFormedEntries(input: unknown): UserConfig | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const raw = input as Record<string, unknown>;
  const pick = <T>(section: unknown, schema: z.ZodType<T>): Record<string, T> => {
    if (typeof section !== 'object' || section === null) return {};
    const out: Record<string, T> = {};
    for (const [key, value] of Object.entries(section)) {
      const one = schema.safeParse(value);
      if (one.success) out[key] = one.data;
    }
    return out;
  };
  return {
    registries: pick(raw.registries, registrySchema),
    images: pick(raw.images, imageSchema) as UserConfig['images'],
    builders: pick(raw.builders, builderSchema),
  };
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
  if (issue.code === 'invalid_type') {
    return [{ path, message: `expected ${issue.expected}, got ${describeValue(issue.input)}` }];
  }
  if (issue.code === 'invalid_union' && issue.message === 'Invalid input') {
    // zod's own union message names no type: list what each alternative expected.
    // A custom alternative's message already names the whole choice ("a string or ref(…)").
    const firsts = issue.errors.map((branch) => branch[0]);
    const custom = firsts.find((i) => i?.code === 'custom');
    const expected = custom ? [expectedBy(custom)!] : [...new Set(firsts.map(expectedBy).filter((e): e is string => e !== undefined))];
    if (expected.length > 0) return [{ path, message: `expected ${expected.join(' or ')}, got ${describeValue(issue.input)}` }];
  }
  return [{ path, message: issue.message }];
}

function expectedBy(issue: z.core.$ZodIssue | undefined): string | undefined {
  if (issue?.code === 'invalid_type') return issue.expected;
  if (issue?.code === 'custom') return issue.message.replace(/^expected /, '');
  return undefined;
}

/** `number 1`, `boolean true`, `an array`, `null`: enough to see what was written instead. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
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
