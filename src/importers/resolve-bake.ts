/**
 * A bake definition (HCL through hcl2json, or bake's JSON) resolved the way `docker buildx bake
 * --print` shows it: variables at their defaults, user functions and the standard library
 * evaluated, `inherits` merged (maps merged, other fields replaced), `matrix` targets expanded,
 * groups expanded into the targets they build. Whatever cannot be resolved statically is left out
 * and said in `notes`. Pure.
 */
import { evaluate, isObject, toText, type Scope } from './hcl-eval.js';
import { parseTemplate, Unresolvable, type HclValue } from './hcl-expr.js';

export type BakeTarget = Readonly<Record<string, HclValue>>;

/** The shape of `docker buildx bake --print`. */
export interface BakePrint {
  readonly group: Readonly<Record<string, { readonly targets: readonly string[] }>>;
  readonly target: Readonly<Record<string, BakeTarget>>;
}

export interface ResolveResult {
  readonly print: BakePrint;
  readonly notes: readonly string[];
}

/** Fields whose maps are merged through `inherits` rather than replaced. */
const MERGED_FIELDS = new Set(['args', 'labels', 'contexts', 'annotations']);
/** Bake's own variables: the command's context is the bake file's directory here; the platform is the machine's. */
const BUILTIN_VARIABLES: Record<string, HclValue> = { BAKE_CMD_CONTEXT: '.' };

type Blocks = Record<string, Record<string, Record<string, HclValue>>>;

export class BakeImportError extends Error {}

/** `requested`: targets or groups to resolve; empty: the `default` group (or target), else every target. */
export function resolveBake(raw: unknown, requested: readonly string[]): ResolveResult {
  const blocks = normalizeBlocks(raw);
  const notes: string[] = [];
  const values = new Map<string, HclValue>();
  const resolving = new Set<string>();
  const variables = blocks.variable ?? {};
  const functions = blocks.function ?? {};
  const scope = (locals: Readonly<Record<string, HclValue>> = {}): Scope => ({
    variable: (name) => {
      if (name in locals) return locals[name]!;
      if (name in BUILTIN_VARIABLES) return BUILTIN_VARIABLES[name]!;
      if (name === 'BAKE_LOCAL_PLATFORM') throw new Unresolvable('BAKE_LOCAL_PLATFORM is the platform of the machine bake runs on');
      const variable = variables[name];
      if (!variable) throw new Unresolvable(`there is no variable ${name}`);
      if (values.has(name)) return values.get(name)!;
      if (resolving.has(name)) throw new Unresolvable(`variable ${name} refers to itself`);
      resolving.add(name);
      const value = 'default' in variable ? evaluateValue(variable.default!, scope()) : '';
      resolving.delete(name);
      values.set(name, value);
      return value;
    },
    fn: (name) => {
      const fn = functions[name];
      if (!fn) return undefined;
      const params = paramNames(fn.params);
      const variadic = paramNames(fn.variadic_params)[0];
      return (args) => {
        const bound: Record<string, HclValue> = { ...locals };
        params.forEach((p, i) => (bound[p] = args[i] ?? null));
        if (variadic) bound[variadic] = args.slice(params.length);
        return evaluateValue(fn.result ?? null, scope(bound));
      };
    },
  });

  const targets = expandTargets(blocks.target ?? {}, scope, notes);
  const groups = blocks.group ?? {};
  const selected = selectTargets(requested, targets, groups, scope, notes);
  const defaults: string[] = [];
  for (const name of Object.keys(variables)) {
    try {
      defaults.push(`${name}=${JSON.stringify(scope().variable(name))}`);
    } catch (error) {
      notes.push(`variable ${name}: ${(error as Error).message}`);
    }
  }
  if (defaults.length) notes.unshift(`variables at their defaults: ${defaults.join(', ')} (bake reads them from the environment; the config has the values)`);
  const target: Record<string, BakeTarget> = {};
  for (const name of selected) target[name] = withDefaults(resolveTarget(name, targets.byName, notes, []));
  return { print: { group: { default: { targets: selected } }, target }, notes: [...new Set(notes)] };
}

/** A target's raw attributes with the scope its expressions see (a matrix combination's values). */
interface RawTarget {
  readonly attrs: Record<string, HclValue>;
  readonly scope: Scope;
}

interface Targets {
  readonly byName: Map<string, RawTarget>;
  /** A matrix target's name → the names of the targets it expands to. */
  readonly matrix: Map<string, string[]>;
}

function expandTargets(raw: Blocks[string], scope: (locals?: Record<string, HclValue>) => Scope, notes: string[]): Targets {
  const targets = new Map<string, RawTarget>();
  const matrixNames = new Map<string, string[]>();
  for (const [name, attrs] of Object.entries(raw)) {
    if (!('matrix' in attrs)) {
      targets.set(name, { attrs, scope: scope() });
      continue;
    }
    let matrix: HclValue;
    try {
      matrix = evaluateValue(attrs.matrix!, scope());
    } catch (error) {
      notes.push(`target "${name}": matrix: ${(error as Error).message} — left out`);
      continue;
    }
    if (!isObject(matrix)) continue;
    let combos: Array<Record<string, HclValue>> = [{}];
    for (const [key, options] of Object.entries(matrix)) {
      combos = combos.flatMap((c) => (Array.isArray(options) ? options : [options]).map((o) => ({ ...c, [key]: o })));
    }
    for (const combo of combos) {
      const comboScope = scope(combo);
      const generated = 'name' in attrs ? toText(evaluateValue(attrs.name!, comboScope)) : `${name}-${Object.values(combo).map((v) => toText(v)).join('-')}`;
      const { matrix: _m, name: _n, ...rest } = attrs;
      targets.set(generated, { attrs: rest, scope: comboScope });
      matrixNames.set(name, [...(matrixNames.get(name) ?? []), generated]);
    }
  }
  return { byName: targets, matrix: matrixNames };
}

function selectTargets(
  requested: readonly string[],
  { byName: targets, matrix }: Targets,
  groups: Blocks[string],
  scope: (locals?: Record<string, HclValue>) => Scope,
  notes: string[],
): string[] {
  const out: string[] = [];
  const visit = (name: string, seen: Set<string>) => {
    if (seen.has(name)) return;
    seen.add(name);
    const group = groups[name];
    if (group) {
      const members = group.targets === undefined ? [] : evaluateValue(group.targets, scope());
      for (const member of Array.isArray(members) ? members : []) visit(toText(member), seen);
      return;
    }
    const names = matrix.get(name) ?? [name];
    if (!names.every((n) => targets.has(n))) {
      throw new BakeImportError(`there is no target or group "${name}" (targets: ${[...targets.keys()].join(', ') || 'none'})`);
    }
    for (const n of names) if (!out.includes(n)) out.push(n);
  };
  if (requested.length > 0) {
    for (const name of requested) visit(name, new Set());
    return out;
  }
  if (groups.default || targets.has('default') || matrix.has('default')) {
    visit('default', new Set());
    return out;
  }
  // No default group: every target that is not only a base for others (`inherits`).
  const parents = new Set([...targets.values()].flatMap((t) => inheritsOf(t)));
  const chosen = [...targets.keys()].filter((n) => !parents.has(n));
  notes.push(`no "default" group: imported every target that others do not inherit from (${chosen.join(', ')})`);
  return chosen;
}

function inheritsOf(target: RawTarget): string[] {
  if (!('inherits' in target.attrs)) return [];
  try {
    const value = evaluateValue(target.attrs.inherits!, target.scope);
    return (Array.isArray(value) ? value : [value]).map((v) => toText(v));
  } catch {
    return [];
  }
}

function resolveTarget(name: string, targets: Map<string, RawTarget>, notes: string[], stack: readonly string[]): Record<string, HclValue> {
  const raw = targets.get(name);
  if (!raw) throw new BakeImportError(`target "${stack.at(-1)}" inherits from "${name}", which is not defined`);
  if (stack.includes(name)) throw new BakeImportError(`targets inherit from each other in a cycle: ${[...stack, name].join(' → ')}`);
  const merged: Record<string, HclValue> = {};
  for (const parent of inheritsOf(raw)) mergeInto(merged, resolveTarget(parent, targets, stack.length ? [] : notes, [...stack, name]));
  const own: Record<string, HclValue> = {};
  for (const [field, value] of Object.entries(raw.attrs)) {
    if (field === 'inherits') continue;
    try {
      own[field] = evaluateValue(value, raw.scope);
    } catch (error) {
      if (!(error instanceof Unresolvable)) throw error;
      notes.push(`target "${name}": ${field}: ${error.message}; left out`);
    }
  }
  mergeInto(merged, own);
  return merged;
}

function mergeInto(into: Record<string, HclValue>, from: Record<string, HclValue>): void {
  for (const [field, value] of Object.entries(from)) {
    const current = into[field];
    into[field] = MERGED_FIELDS.has(field) && isObject(value) && current !== undefined && isObject(current) ? { ...current, ...value } : value;
  }
}

/** What `--print` shows for fields bake fills in. */
function withDefaults(target: Record<string, HclValue>): BakeTarget {
  return {
    context: '.',
    ...('dockerfile-inline' in target ? {} : { dockerfile: 'Dockerfile' }),
    ...target,
  };
}

/** A JSON value whose strings are HCL templates, evaluated. */
export function evaluateValue(value: HclValue, scope: Scope): HclValue {
  if (typeof value === 'string') return evaluate(parseTemplate(value), scope);
  if (Array.isArray(value)) return value.map((v) => evaluateValue(v, scope));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluateValue(v, scope)]));
  return value;
}

/** `params = [name, tag]` arrives from hcl2json as ["${name}", "${tag}"]. */
function paramNames(value: HclValue | undefined): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.map((p) => toText(p).replace(/^\$\{\s*([\w-]+)\s*\}$/, '$1'));
}

/** hcl2json gives each block as a list (one per occurrence); bake JSON gives an object. Merged in order. */
function normalizeBlocks(raw: unknown): Blocks {
  if (!isObject(raw as HclValue)) throw new BakeImportError('the bake file is not an object of blocks (target, group, variable, function)');
  const out: Blocks = {};
  for (const [kind, byName] of Object.entries(raw as Record<string, HclValue>)) {
    if (!['target', 'group', 'variable', 'function'].includes(kind) || !isObject(byName)) continue;
    out[kind] = {};
    for (const [name, body] of Object.entries(byName)) {
      const bodies = Array.isArray(body) ? body : [body];
      out[kind][name] = Object.assign({}, ...bodies.filter((b) => isObject(b))) as Record<string, HclValue>;
    }
  }
  return out;
}
