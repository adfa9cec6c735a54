import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configTransform, sucraseTransform } from '../../../src/config/load-transform.js';
import { loadConfig } from '../../../src/config/load.js';
import { lines, loadError, writeProject } from './fixtures.js';

const sucraseOf = (source: string, filename = '/p/multiarch.config.ts') => sucraseTransform({ source, filename, async: true });

describe('sucraseTransform: what Sucrase takes, and what it leaves to Babel', () => {
  it('takes a usual config: types, satisfies, enums, type-only imports, relative files, built-ins, multiarch', () => {
    const out = sucraseOf(
      lines(
        "import { defineConfig, ref } from 'multiarch';",
        "import type { UserConfig } from 'multiarch';",
        "import path from 'node:path';",
        "import os from 'os';",
        "import { services } from './services';",
        'enum Tier { Web = 1 }',
        'const regs = { hub: { url: "docker.io" } } satisfies UserConfig["registries"];',
        'const n: number = await Promise.resolve(Tier.Web);',
        'export default defineConfig({ registries: regs, images: services(path.join(os.tmpdir(), String(n)), ref) });',
      ),
    );
    expect(out).toBeDefined();
    expect(out!.code).not.toMatch(/satisfies|: number|import type/);
    expect(out!.code).toMatch(/require\(['"]multiarch['"]\)/);
  });

  it('keeps every line where it was, so a thrown error points at the line of the source', () => {
    const source = lines('interface A {', '  x: string;', '}', 'const a: A = { x: "1" };', 'throw new Error(a.x);');
    const out = sucraseOf(source)!;
    expect(out.code.split('\n').findIndex((l) => l.includes('throw new Error'))).toBe(4);
  });

  it.each([
    ['import.meta', "export default { images: {}, dir: import.meta.dirname };"],
    ['a decorator', 'function d(t: unknown) { return t; }\n@d class A {}\nexport default { images: {}, a: new A() };'],
    ['an import()', "const m = await import('./other');\nexport default m.default;"],
    ['an npm package', "import { z } from 'zod';\nexport default { images: {}, z };"],
    ['an npm package re-exported', "export * from 'zod';\nexport default { images: {} };"],
    ['a require of a computed name', "const name = './x';\nexport default require(name);"],
    ['a syntax error', 'export default { images: { ;'],
    ['top-level await in a file required synchronously', 'await 1;\nexport default {};'],
  ])('leaves %s to Babel', (_, source) => {
    const sync = source.startsWith('await 1');
    expect(sucraseTransform({ source, filename: '/p/multiarch.config.ts', async: !sync })).toBeUndefined();
  });

  it('leaves JSX to Babel', () => {
    expect(sucraseTransform({ source: 'export default <a/>;', filename: '/p/x.tsx', async: true })).toBeUndefined();
  });

  it('configTransform falls back to Babel, which rewrites import.meta to the file itself', () => {
    const filename = '/p/multiarch.config.ts';
    const out = configTransform({ source: 'export default { url: import.meta.url };', filename, async: true });
    expect(out.code).toContain(JSON.stringify(pathToFileURL(filename).href));
  });
});

describe('loadConfig through either transform', () => {
  it('runs a config Babel takes (import.meta, import()) and one Sucrase takes (a relative helper) alike', async () => {
    const images = "{ web: { context: './web', platforms: ['linux/amd64'], tags: ['v1'] } }";
    const babelDir = writeProject({
      'multiarch.config.ts': lines(
        "const { images } = await import('./images');",
        "export default { images: { web: { ...images.web, tags: [import.meta.url.endsWith('/multiarch.config.ts') ? 'meta-ok' : 'meta-wrong'] } } };",
      ),
      'images.ts': `export const images = ${images};\n`,
      'web/Dockerfile': 'FROM scratch\n',
    });
    const sucraseDir = writeProject({
      'multiarch.config.ts': lines("import { images } from './images';", "import { defineConfig } from 'multiarch';", 'export default defineConfig({ images });'),
      'images.ts': `export const images: Record<string, unknown> = ${images};\n`,
      'web/Dockerfile': 'FROM scratch\n',
    });
    expect((await loadConfig({ cwd: babelDir })).config.images.web?.tags).toEqual(['meta-ok']);
    expect(Object.keys((await loadConfig({ cwd: sucraseDir })).config.images)).toEqual(['web']);
  });

  it('reports a throw inside a helper Sucrase transformed at the helper\'s own line', async () => {
    const dir = writeProject({
      'multiarch.config.ts': lines("import { images } from './images';", 'export default { images };'),
      'images.ts': lines('type T = Record<string, unknown>;', '', 'export const images: T = {};', "throw new Error('boom in images');"),
    });
    const error = await loadError(dir);
    expect(`${error.message}\n${error.details ?? ''}`).toMatch(/images\.ts:4/);
  });
});
