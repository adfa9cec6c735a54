/** HCL expressions and bake resolution: what resolves statically, and what is reported instead. */
import { describe, expect, it } from 'vitest';
import { evaluate, type Scope } from '../../../src/importers/hcl-eval.js';
import { parseExpression, parseTemplate, Unresolvable } from '../../../src/importers/hcl-expr.js';
import { resolveBake } from '../../../src/importers/resolve-bake.js';

const scope: Scope = {
  variable: (name) => {
    const vars: Record<string, string | string[]> = { TAG: 'v1.2', LIST: ['a', 'b'] };
    if (!(name in vars)) throw new Unresolvable(`there is no variable ${name}`);
    return vars[name]!;
  },
  fn: () => undefined,
};
const ev = (text: string) => evaluate(parseExpression(text), scope);
const tpl = (text: string) => evaluate(parseTemplate(text), scope);

describe('HCL expressions', () => {
  it('evaluates what bake files use', () => {
    expect(ev('TAG == "v1.2" ? "yes" : "no"')).toBe('yes');
    expect(ev('!(1 + 2 * 3 > 6) || length(LIST) == 2')).toBe(true);
    expect(ev('upper(join("-", LIST, ["c"]))')).toBe('A-B-C');
    expect(ev('split(".", trimprefix(TAG, "v"))[1]')).toBe('2');
    expect(ev('format("%s:%d", "app", 3)')).toBe('app:3');
    expect(ev('concat(LIST, ["x"])')).toEqual(['a', 'b', 'x']);
    expect(ev('{ a = 1, "b-c": "d" }')).toEqual({ a: 1, 'b-c': 'd' });
    expect(ev('coalesce("", TAG)')).toBe('v1.2');
    expect(ev('replace(regex_replace(TAG, "[.]", "_"), "v", "")')).toBe('1_2');
  });

  it('keeps a lone interpolation’s type and joins mixed templates; $${ is literal', () => {
    expect(tpl('${LIST}')).toEqual(['a', 'b']);
    expect(tpl('app:${TAG}-${1 + 1}')).toBe('app:v1.2-2');
    expect(tpl('$${TAG} is ${TAG}')).toBe('${TAG} is v1.2');
    expect(tpl('say "${upper("hi")}"')).toBe('say "HI"');
  });

  it('reports what cannot be resolved statically', () => {
    expect(() => ev('timestamp()')).toThrow('timestamp() is only known at build time');
    expect(() => ev('nosuch(1)')).toThrow('function nosuch() is not known to the importer');
    expect(() => ev('[for x in LIST: x]')).toThrow('for expressions are not supported');
    expect(() => tpl('%{ if TAG }x%{ endif }')).toThrow('template directives');
    expect(() => ev('MISSING')).toThrow('there is no variable MISSING');
  });
});

describe('resolveBake', () => {
  const target = (attrs: Record<string, unknown>) => [attrs];

  it('merges inherited maps and replaces the rest; the child wins', () => {
    const { print } = resolveBake(
      {
        target: {
          base: target({ args: { A: '1', B: '1' }, platforms: ['linux/amd64'], tags: ['x/base'] }),
          app: target({ inherits: ['base'], args: { B: '2' }, platforms: ['linux/arm64'] }),
        },
        group: { default: target({ targets: ['app'] }) },
      },
      [],
    );
    expect(print.target.app).toEqual({ context: '.', dockerfile: 'Dockerfile', args: { A: '1', B: '2' }, platforms: ['linux/arm64'], tags: ['x/base'] });
  });

  it('without a default group takes every target no other inherits from, and says so', () => {
    const { print, notes } = resolveBake({ target: { _base: target({}), a: target({ inherits: ['_base'] }), b: target({}) } }, []);
    expect(Object.keys(print.target)).toEqual(['a', 'b']);
    expect(notes).toContain('no "default" group: imported every target that others do not inherit from (a, b)');
  });

  it('leaves out a field it cannot resolve, with the reason, and keeps the rest', () => {
    const { print, notes } = resolveBake({ target: { app: target({ platforms: ['${BAKE_LOCAL_PLATFORM}'], tags: ['x/app:${timestamp()}'], context: 'app' }) } }, []);
    expect(print.target.app).toEqual({ context: 'app', dockerfile: 'Dockerfile' });
    expect(notes).toEqual([
      'no "default" group: imported every target that others do not inherit from (app)',
      'target "app": platforms: BAKE_LOCAL_PLATFORM is the platform of the machine bake runs on; left out',
      'target "app": tags: timestamp() is only known at build time; left out',
    ]);
  });

  it('rejects inheritance cycles and unknown names', () => {
    expect(() => resolveBake({ target: { a: target({ inherits: ['b'] }), b: target({ inherits: ['a'] }) } }, ['a'])).toThrow(
      'targets inherit from each other in a cycle: a → b → a',
    );
    expect(() => resolveBake({ target: { a: target({}) } }, ['b'])).toThrow('there is no target or group "b" (targets: a)');
  });
});
