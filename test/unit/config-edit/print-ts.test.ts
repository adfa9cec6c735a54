import { describe, expect, it } from 'vitest';
import { code, comment, commented, DEFAULT_STYLE, printValue, quoteString } from '../../../src/config-edit/print-ts.js';

describe('printValue', () => {
  it('keeps short values on one line and breaks long ones, one entry a line', () => {
    expect(printValue({ a: ['x', 'y'], 'b-c': 1, d: true }, DEFAULT_STYLE)).toBe("{ a: ['x', 'y'], 'b-c': 1, d: true }");
    const long = { context: './services/api', platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'], tags: ['v1', 'latest'] };
    expect(printValue(long, { ...DEFAULT_STYLE, width: 60 })).toBe(
      "{\n  context: './services/api',\n  platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],\n  tags: ['v1', 'latest'],\n}",
    );
  });

  it('prints code as is, shorthand for a same-named name, and comments above entries or alone', () => {
    expect(printValue({ platforms: code('platforms'), args: { BASE: code("ref('base')") } }, DEFAULT_STYLE)).toBe("{ platforms, args: { BASE: ref('base') } }");
    expect(printValue({ a: commented('why', 1), $b: comment('later\nmore') }, { ...DEFAULT_STYLE, indent: '\t', trailingComma: false })).toBe(
      '{\n\t// why\n\ta: 1\n\t// later\n\t// more\n}',
    );
  });

  it('quotes in the style asked for', () => {
    expect(quoteString(`it's "x"`, { quote: "'" })).toBe(`'it\\'s "x"'`);
    expect(quoteString(`it's "x"`, { quote: '"' })).toBe(`"it's \\"x\\""`);
  });
});
