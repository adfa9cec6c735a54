/**
 * Evaluating parsed HCL expressions the way bake does, with the variables and user functions of
 * the bake file and the common part of its standard library. Anything that depends on the
 * machine or the moment (timestamp(), the local platform) or is not implemented throws
 * Unresolvable with the reason. Pure.
 */
import { Unresolvable, type Expr, type HclValue } from './hcl-expr.js';

export interface Scope {
  /** A variable's value; Unresolvable when there is none. */
  readonly variable: (name: string) => HclValue;
  /** A user-defined function (bake `function` block), if there is one by that name. */
  readonly fn: (name: string) => ((args: HclValue[]) => HclValue) | undefined;
}

export function evaluate(expr: Expr, scope: Scope): HclValue {
  switch (expr.t) {
    case 'lit':
      return expr.v;
    case 'tpl':
      // A template that is one interpolation keeps its value's type (a list stays a list).
      if (expr.parts.length === 1 && typeof expr.parts[0] !== 'string') return evaluate(expr.parts[0]!, scope);
      return expr.parts.map((p) => (typeof p === 'string' ? p : toText(evaluate(p, scope)))).join('');
    case 'var':
      return scope.variable(expr.name);
    case 'get': {
      const obj = evaluate(expr.obj, scope);
      if (!isObject(obj) || !(expr.key in obj)) throw new Unresolvable(`no attribute "${expr.key}"`);
      return obj[expr.key]!;
    }
    case 'index': {
      const obj = evaluate(expr.obj, scope);
      const index = evaluate(expr.index, scope);
      const value = Array.isArray(obj) ? obj[Number(index)] : isObject(obj) ? obj[String(index)] : undefined;
      if (value === undefined) throw new Unresolvable(`no element ${JSON.stringify(index)}`);
      return value;
    }
    case 'call': {
      const args = expr.args.map((a) => evaluate(a, scope));
      if (expr.expand) {
        const last = args.pop();
        if (!Array.isArray(last)) throw new Unresolvable(`${expr.fn}(…...) expands a value that is not a list`);
        args.push(...last);
      }
      const fn = scope.fn(expr.fn) ?? BUILTINS[expr.fn];
      if (!fn) throw new Unresolvable(`function ${expr.fn}() is not known to the importer`);
      return fn(args);
    }
    case 'tuple':
      return expr.items.map((i) => evaluate(i, scope));
    case 'object':
      return Object.fromEntries(expr.entries.map(([k, v]) => [toText(evaluate(k, scope)), evaluate(v, scope)]));
    case 'unary': {
      const v = evaluate(expr.e, scope);
      return expr.op === '!' ? !toBool(v) : -toNumber(v);
    }
    case 'binary':
      return binary(expr.op, evaluate(expr.a, scope), () => evaluate(expr.b, scope));
    case 'cond':
      return toBool(evaluate(expr.c, scope)) ? evaluate(expr.a, scope) : evaluate(expr.b, scope);
  }
}

function binary(op: string, a: HclValue, lazyB: () => HclValue): HclValue {
  if (op === '&&') return toBool(a) && toBool(lazyB());
  if (op === '||') return toBool(a) || toBool(lazyB());
  const b = lazyB();
  switch (op) {
    case '==':
      return JSON.stringify(a) === JSON.stringify(b);
    case '!=':
      return JSON.stringify(a) !== JSON.stringify(b);
    case '<':
      return toNumber(a) < toNumber(b);
    case '<=':
      return toNumber(a) <= toNumber(b);
    case '>':
      return toNumber(a) > toNumber(b);
    case '>=':
      return toNumber(a) >= toNumber(b);
    case '+':
      return toNumber(a) + toNumber(b);
    case '-':
      return toNumber(a) - toNumber(b);
    case '*':
      return toNumber(a) * toNumber(b);
    case '/':
      return toNumber(a) / toNumber(b);
    case '%':
      return toNumber(a) % toNumber(b);
  }
  throw new Unresolvable(`operator ${op} is not supported`);
}

export function isObject(v: HclValue): v is { [key: string]: HclValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value inside a string, as HCL converts it. */
export function toText(v: HclValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) throw new Unresolvable('null inside a string');
  throw new Unresolvable('a list or object inside a string');
}

function toNumber(v: HclValue): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (Number.isNaN(n)) throw new Unresolvable(`${JSON.stringify(v)} is not a number`);
  return n;
}

function toBool(v: HclValue): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new Unresolvable(`${JSON.stringify(v)} is not a bool`);
}

const list = (v: HclValue | undefined): HclValue[] => {
  if (!Array.isArray(v)) throw new Unresolvable('expected a list');
  return v;
};
const str = (v: HclValue | undefined): string => toText(v ?? null);

/** The part of bake's standard library (go-cty stdlib + a few of buildx's own) a config needs. */
const BUILTINS: Record<string, (args: HclValue[]) => HclValue> = {
  upper: ([s]) => str(s).toUpperCase(),
  lower: ([s]) => str(s).toLowerCase(),
  title: ([s]) => str(s).replace(/\b\w/g, (c) => c.toUpperCase()),
  trimspace: ([s]) => str(s).trim(),
  trimprefix: ([s, p]) => (str(s).startsWith(str(p)) ? str(s).slice(str(p).length) : str(s)),
  trimsuffix: ([s, p]) => (str(p) && str(s).endsWith(str(p)) ? str(s).slice(0, -str(p).length) : str(s)),
  replace: ([s, from, to]) => str(s).split(str(from)).join(str(to)),
  regex_replace: ([s, re, to]) => str(s).replace(new RegExp(str(re), 'g'), str(to).replace(/\$\{?(\d+)\}?/g, '$$$1')),
  substr: ([s, offset, length]) => {
    const text = str(s);
    const start = Number(offset) < 0 ? text.length + Number(offset) : Number(offset);
    return Number(length) < 0 ? text.slice(start) : text.slice(start, start + Number(length));
  },
  strlen: ([s]) => str(s).length,
  join: ([sep, ...lists]) => lists.flatMap(list).map(str).join(str(sep)),
  split: ([sep, s]) => str(s).split(str(sep)),
  concat: (lists) => lists.flatMap(list),
  flatten: ([l]) => list(l).flatMap((x) => (Array.isArray(x) ? x : [x])),
  distinct: ([l]) => list(l).filter((x, i, all) => all.findIndex((y) => JSON.stringify(y) === JSON.stringify(x)) === i),
  reverse: ([l]) => [...list(l)].reverse(),
  sort: ([l]) => [...list(l)].map(str).sort(),
  slice: ([l, from, to]) => list(l).slice(Number(from), Number(to)),
  element: ([l, i]) => list(l)[Number(i) % list(l).length] ?? null,
  contains: ([l, v]) => list(l).some((x) => JSON.stringify(x) === JSON.stringify(v)),
  indexof: ([l, v]) => list(l).findIndex((x) => JSON.stringify(x) === JSON.stringify(v)),
  length: ([v]) => (typeof v === 'string' ? v.length : Array.isArray(v) ? v.length : isObject(v ?? null) ? Object.keys(v as object).length : 0),
  coalesce: (args) => args.find((a) => a !== null && a !== '') ?? null,
  coalescelist: (args) => args.find((a) => Array.isArray(a) && a.length > 0) ?? [],
  keys: ([o]) => (isObject(o ?? null) ? Object.keys(o as object).sort() : []),
  values: ([o]) => (isObject(o ?? null) ? Object.entries(o as object).sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v as HclValue) : []),
  merge: (objs) => Object.assign({}, ...objs.filter((o) => isObject(o))) as HclValue,
  lookup: ([o, k, fallback]) => (isObject(o ?? null) && str(k) in (o as object) ? (o as Record<string, HclValue>)[str(k)]! : (fallback ?? null)),
  equal: ([a, b]) => JSON.stringify(a) === JSON.stringify(b),
  notequal: ([a, b]) => JSON.stringify(a) !== JSON.stringify(b),
  and: (args) => args.every(toBool),
  or: (args) => args.some(toBool),
  not: ([a]) => !toBool(a ?? null),
  add: ([a, b]) => toNumber(a ?? null) + toNumber(b ?? null),
  subtract: ([a, b]) => toNumber(a ?? null) - toNumber(b ?? null),
  multiply: ([a, b]) => toNumber(a ?? null) * toNumber(b ?? null),
  divide: ([a, b]) => toNumber(a ?? null) / toNumber(b ?? null),
  min: (args) => Math.min(...args.map(toNumber)),
  max: (args) => Math.max(...args.map(toNumber)),
  format: ([f, ...args]) => format(str(f), args),
  formatlist: ([f, ...args]) => {
    const n = Math.max(...args.map((a) => (Array.isArray(a) ? a.length : 1)));
    return Array.from({ length: n }, (_, i) => format(str(f), args.map((a) => (Array.isArray(a) ? a[i]! : a))));
  },
  sanitize: ([s]) => str(s).replace(/[^a-zA-Z0-9_]/g, '_'),
  timestamp: () => {
    throw new Unresolvable('timestamp() is only known at build time');
  },
  uuidv4: () => {
    throw new Unresolvable('uuidv4() differs on every run');
  },
  homedir: () => {
    throw new Unresolvable('homedir() depends on the machine');
  },
};

/** `format("%s:%d", …)`: the verbs bake files use (%s %d %v %q %%). */
function format(f: string, args: HclValue[]): string {
  let i = 0;
  return f.replace(/%([%sdvqf])/g, (_, verb: string) => {
    if (verb === '%') return '%';
    const v = args[i++] ?? null;
    if (verb === 'q') return JSON.stringify(str(v));
    if (verb === 'd') return String(Math.trunc(toNumber(v)));
    return typeof v === 'object' && v !== null ? JSON.stringify(v) : toText(v);
  });
}
