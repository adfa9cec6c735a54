/**
 * Configs multiarch runs itself (config-graph.ts, evaluate-config.ts) must run as jiti runs them:
 * the same files resolved, the same exports, errors at the same file:line; and a config with any
 * file Sucrase does not take must go to jiti whole, before any of it runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createJiti } from 'jiti';
import { describe, expect, it } from 'vitest';
import { configGraph, resolveImport } from '../../../src/config/config-graph.js';
import { evaluateConfig } from '../../../src/config/evaluate-config.js';
import { importWithJiti, loadConfig, packageEntry } from '../../../src/config/load.js';
import { lines, loadError, writeProject } from './fixtures.js';

const API = { defineConfig: <T>(config: T) => config };
const CONFIG = 'multiarch.config.ts';

/** The config's exports as multiarch runs it; fails the test if the config was left to jiti. */
async function evaluate(dir: string, file = CONFIG): Promise<Record<string, unknown>> {
  const graph = configGraph(path.join(dir, file));
  expect(graph, 'the config should run without jiti').toBeDefined();
  return (await evaluateConfig(graph!, API)) as Record<string, unknown>;
}

/** The config's exports as jiti runs it, as load.ts does. */
async function viaJiti(dir: string, file = CONFIG): Promise<Record<string, unknown>> {
  return (await importWithJiti(path.join(dir, file), packageEntry(), API)) as Record<string, unknown>;
}

/** Both ways agree on what the config exports (as JSON); that value. */
async function sameAsJiti(dir: string): Promise<unknown> {
  const ours = JSON.parse(JSON.stringify(await evaluate(dir)));
  expect(ours).toEqual(JSON.parse(JSON.stringify(await viaJiti(dir))));
  return ours;
}

/** What went wrong, thrown or rejected. */
async function failure(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('evaluateConfig: configs it runs as jiti does', () => {
  it('a relative helper, built-ins, multiarch, __filename and __dirname', async () => {
    const dir = writeProject({
      [CONFIG]: lines(
        "import { defineConfig } from 'multiarch';",
        "import path from 'node:path';",
        "import os from 'os';",
        "import { platforms, type Platform } from './helper';",
        'const own: Platform[] = platforms;',
        'export const where = { file: path.basename(__filename), dir: __dirname === path.dirname(__filename), tmp: typeof os.tmpdir() };',
        'export default defineConfig({ images: { web: { platforms: own } } });',
      ),
      'helper.ts': lines('export type Platform = string;', "export const platforms: Platform[] = ['linux/amd64'];"),
    });
    expect(await sameAsJiti(dir)).toEqual({
      where: { file: CONFIG, dir: true, tmp: 'string' },
      default: { images: { web: { platforms: ['linux/amd64'] } } },
    });
    expect([...configGraph(path.join(dir, CONFIG))!.files.keys()]).toEqual([path.join(dir, CONFIG), fs.realpathSync(path.join(dir, 'helper.ts'))]);
  });

  it("resolves './x.js' to x.ts, './x.mjs' to x.mts, and a directory to its index.ts", async () => {
    const dir = writeProject({
      [CONFIG]: lines("import { a } from './a.js';", "import { b } from './b.mjs';", "import { c } from './lib';", 'export default { a, b, c };'),
      'a.ts': "export const a = 'a.ts';\n",
      'b.mts': "export const b = 'b.mts';\n",
      'lib/index.ts': "export { c } from './c.js';\n",
      'lib/c.ts': "export const c = 'lib/c.ts';\n",
    });
    await expect(sameAsJiti(dir)).resolves.toEqual({ default: { a: 'a.ts', b: 'b.mts', c: 'lib/c.ts' } });
  });

  it('imports JSON, by its name and without the extension, with a default and named bindings', async () => {
    const dir = writeProject({
      [CONFIG]: lines("import data from './data.json';", "import { tags } from './data';", "import * as all from './data.json';", 'export default { data, tags, all: all.tags };'),
      'data.json': '{ "tags": ["v1", "v2"] }\n',
    });
    await expect(sameAsJiti(dir)).resolves.toEqual({ default: { data: { tags: ['v1', 'v2'] }, tags: ['v1', 'v2'], all: ['v1', 'v2'] } });
  });

  it('runs each file once, and a cycle sees the exports so far as in CommonJS', async () => {
    const dir = writeProject({
      [CONFIG]: lines("import { a } from './a';", "import { b, seenA } from './b';", 'export default { a, b, seenA, runs: (globalThis as any).__cfgevalRuns };'),
      'a.ts': lines("import { b } from './b';", '(globalThis as any).__cfgevalRuns = ((globalThis as any).__cfgevalRuns ?? 0) + 1;', "export const a = 'a' + typeof b;"),
      'b.ts': lines("import * as a from './a';", "export const b = 'b';", 'export const seenA = Object.keys(a).join();'),
    });
    const g = globalThis as { __cfgevalRuns?: number };
    delete g.__cfgevalRuns;
    const ours = await evaluate(dir);
    delete g.__cfgevalRuns;
    const theirs = await viaJiti(dir);
    delete g.__cfgevalRuns;
    expect(ours).toEqual(theirs);
    expect(ours.default).toEqual({ a: 'astring', b: 'b', seenA: '', runs: 1 });
  });

  it('awaits at the top level of the config', async () => {
    const dir = writeProject({
      [CONFIG]: lines("const tags = await new Promise<string[]>((done) => setTimeout(() => done(['v1']), 5));", 'export default { images: { web: { tags } } };'),
    });
    await expect(sameAsJiti(dir)).resolves.toEqual({ default: { images: { web: { tags: ['v1'] } } } });
  });

  it('returns the exports as they are: no default export stays missing, and loadConfig says so', async () => {
    const dir = writeProject({ [CONFIG]: "export const images = {};\n" });
    expect(await evaluate(dir)).not.toHaveProperty('default');
    const error = await loadError(dir);
    expect(error.code).toBe('E_CONFIG_LOAD');
    expect(error.message).toBe('multiarch.config.ts has no default export');
  });

  it('throws from a helper with a stack at the helper\'s file:line, which loadConfig shows with the config line reaching it', async () => {
    const dir = writeProject({
      [CONFIG]: lines("import { platformsFor } from './platforms';", '', "export default { images: { api: { context: './api', platforms: platformsFor('api') } } };"),
      'platforms.ts': lines('export function platformsFor(name: string): string[] {', '  throw new Error(`no platforms for ${name}`);', '}'),
    });
    const thrown = await failure(() => evaluate(dir));
    expect(thrown.stack).toContain(`${fs.realpathSync(path.join(dir, 'platforms.ts'))}:2:9`);
    expect(thrown.stack).toContain(`${path.join(dir, CONFIG)}:3:`);
    const error = await loadError(dir);
    expect(error.message).toBe('multiarch.config.ts threw while loading: no platforms for api');
    expect(error.details?.[0]).toBe('platforms.ts:2:9 no platforms for api');
    expect(error.details?.some((line) => /^multiarch\.config\.ts:3:\d+ \(platforms\.ts is reached from here\)$/.test(line))).toBe(true);
  });

  it('rejects with what the config throws after a top-level await, at its line', async () => {
    const dir = writeProject({ [CONFIG]: lines('await Promise.resolve();', '', "throw new Error('late');", 'export default {};') });
    const thrown = await failure(() => evaluate(dir));
    expect(thrown.message).toBe('late');
    expect(thrown.stack).toContain(`${path.join(dir, CONFIG)}:3:7`);
  });
});

describe('configGraph: configs left to jiti whole', () => {
  it.each([
    ['a helper with import.meta (Babel)', { 'helper.ts': 'export const url = import.meta.url;\n' }],
    ['a helper with a syntax error', { 'helper.ts': 'export const url = {;\n' }],
    ['a JavaScript helper (jiti may run it natively)', { 'helper.js': "export const url = 'js';\n" }],
    ['a helper that imports an npm package', { 'helper.ts': "export { z as url } from 'zod';\n" }],
    ['a helper that passes require around', { 'helper.ts': "const r = require;\nexport const url = r('node:path').sep;\n" }],
    ['an import that does not resolve', {}],
  ])('%s', (_, files) => {
    const dir = writeProject({ [CONFIG]: lines("import { url } from './helper';", 'export default { url };'), ...files });
    expect(configGraph(path.join(dir, CONFIG))).toBeUndefined();
  });

  it('loadConfig still runs a config whose helper needs Babel, through jiti', async () => {
    const dir = writeProject({
      [CONFIG]: lines("import { defineConfig } from 'multiarch';", "import { tag } from './tag';", "export default defineConfig({ images: { web: { context: './web', platforms: ['linux/amd64'], tags: [tag] } } });"),
      'tag.ts': "export const tag = import.meta.url.endsWith('/tag.ts') ? 'meta-ok' : 'meta-wrong';\n",
      'web/Dockerfile': 'FROM scratch\n',
    });
    expect(configGraph(path.join(dir, CONFIG))).toBeUndefined();
    expect((await loadConfig({ cwd: dir })).config.images.web?.tags).toEqual(['meta-ok']);
  });

  it('loadConfig reports a syntax error in a helper at its file:line, through jiti', async () => {
    const dir = writeProject({
      [CONFIG]: lines("import { tags } from './tags';", "export default { images: { web: { context: './web', platforms: ['linux/amd64'], tags } } };"),
      'tags.ts': lines("export const tags = ['v1',", "  'v2' 'v3'];"),
    });
    const error = await loadError(dir);
    expect(error.code).toBe('E_CONFIG_LOAD');
    expect(`${error.message}\n${(error.details ?? []).join('\n')}`).toMatch(/tags\.ts:2:\d+/);
  });
});

describe('resolveImport: the file jiti resolves, or nothing where jiti could pick another', () => {
  const from = (dir: string) => path.join(dir, CONFIG);
  // What jiti resolves to, or undefined where it finds nothing.
  const jitiResolve = (dir: string, specifier: string) => {
    try {
      return createJiti(from(dir), { fsCache: false }).resolve(specifier);
    } catch {
      return undefined;
    }
  };

  it.each([
    ['the name itself first', { 'x.ts': '', 'x.ts.ts': '' }, './x.ts', 'x.ts'],
    ['.js before .ts', { 'x.js': '', 'x.ts': '' }, './x', 'x.js'],
    ['.ts before .mts', { 'x.ts': '', 'x.mts': '' }, './x', 'x.ts'],
    ['x.ts before x/index.ts', { 'x.ts': '', 'x/index.ts': '' }, './x', 'x.ts'],
    ['index.js before index.ts', { 'x/index.js': '', 'x/index.ts': '' }, './x', 'x/index.js'],
    ['./x.js naming x.ts', { 'x.ts': '' }, './x.js', 'x.ts'],
    ['./x.cjs naming x.cts', { 'x.cts': '' }, './x.cjs', 'x.cts'],
    ['./x naming x.json', { 'x.json': '{}' }, './x', 'x.json'],
    ['./x.js naming x.js.json before x.ts', { 'x.ts': '', 'x.js.json': '{}' }, './x.js', 'x.js.json'],
    ['a parent directory', { 'lib/x.ts': '', 'lib/y.ts': '' }, '../lib/y', 'lib/y.ts'],
  ])('%s', (_, files, specifier, expected) => {
    const dir = writeProject({ 'sub/multiarch.config.ts': '', [CONFIG]: '', ...files });
    const parent = specifier.startsWith('../') ? path.join(dir, 'sub', CONFIG) : from(dir);
    const ours = resolveImport(specifier, parent);
    expect(ours).toBe(fs.realpathSync(path.join(dir, expected)));
    expect(ours).toBe(createJiti(parent, { fsCache: false }).resolve(specifier));
  });

  it.each([
    ['x.js.node beside x.ts (require.resolve finds it first)', { 'x.ts': '', 'x.js.node': '' }, './x.js', 'x.js.node'],
    ['./x.js beside x.cts (jiti renames .js to .ts only)', { 'x.cts': '' }, './x.js', undefined],
    ['a directory x.js beside x.ts', { 'x.ts': '', 'x.js/index.json': '{}' }, './x.js', 'x.js/index.json'],
    ['nothing by that name', { 'y.ts': '' }, './x', undefined],
    ['a query (URL syntax)', { 'x.ts': '' }, './x.ts?raw', 'x.ts'],
  ])('leaves %s to jiti', (_, files, specifier, jitis) => {
    const dir = writeProject({ [CONFIG]: '', ...files });
    expect(resolveImport(specifier, from(dir))).toBeUndefined();
    expect(jitiResolve(dir, specifier)).toBe(jitis === undefined ? undefined : path.join(dir, jitis));
  });

  it("leaves to jiti a '../x' that jiti's resolver could also find one level down", () => {
    const dir = writeProject({ 'sub/multiarch.config.ts': '', 'sub/x.ts': '' });
    const parent = path.join(dir, 'sub', CONFIG);
    expect(createJiti(parent, { fsCache: false }).resolve('../x')).toBe(path.join(dir, 'sub/x.ts'));
    expect(resolveImport('../x', parent)).toBeUndefined();
  });
});
