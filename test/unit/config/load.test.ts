import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAMES, findConfigFile, loadConfig } from '../../../src/config/load.js';
import { isImageRef } from '../../../src/config/ref.js';
import { DOCKERFILE, lines, loadError, project, writeProject } from './fixtures.js';

describe('loadConfig: a good config', () => {
  it("loads a TypeScript config that imports from 'multiarch', without a build step", async () => {
    const dir = project(
      lines(
        "import { defineConfig, ref } from 'multiarch';",
        "import type { UserConfig } from 'multiarch';",
        '',
        'const registries = { hub: { url: "docker.io" } } satisfies UserConfig["registries"];',
        'export default defineConfig({',
        '  registries,',
        '  images: {',
        "    base: { context: './web', platforms: ['linux/amd64', 'arm64/v8'], tags: ['v1'], publish: [{ registry: 'hub', repository: 'team/base' }] },",
        "    web: { context: './web', platforms: ['x86_64'], tags: ['v1'], args: { BASE: ref('base') } },",
        '  },',
        '});',
      ),
    );
    const { file, config } = await loadConfig({ cwd: dir });
    expect(file).toBe(path.join(dir, 'multiarch.config.ts'));
    expect(config.dir).toBe(dir);
    expect(config.images.base?.platforms).toEqual([{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }]);
    expect(config.images.web?.context).toBe(path.join(dir, 'web'));
    expect(isImageRef(config.images.web?.args.BASE)).toBe(true);
  });

  it("resolves the Deno-style 'npm:multiarch' specifier to the same package", async () => {
    const dir = project(
      lines(
        "import { defineConfig } from 'npm:multiarch';",
        "export default defineConfig({ images: { web: { context: './web', platforms: ['linux/amd64'], tags: ['v1'] } } });",
      ),
    );
    expect(Object.keys((await loadConfig({ cwd: dir })).config.images)).toEqual(['web']);
  });

  it('awaits a promise exported as default', async () => {
    const dir = project(
      lines("export default Promise.resolve({ images: { web: { context: './web', platforms: ['linux/amd64'], tags: ['v1'] } } });"),
    );
    expect((await loadConfig({ cwd: dir })).config.images.web?.tags).toEqual(['v1']);
  });

  it('sees edits to the file between two loads', async () => {
    const config = (tag: string) => `export default { images: { web: { context: './web', platforms: ['linux/amd64'], tags: ['${tag}'] } } };\n`;
    const dir = project(config('v1'));
    expect((await loadConfig({ cwd: dir })).config.images.web?.tags).toEqual(['v1']);
    fs.writeFileSync(path.join(dir, 'multiarch.config.ts'), config('v2'));
    expect((await loadConfig({ cwd: dir })).config.images.web?.tags).toEqual(['v2']);
  });

  it('loads a multiarch.config.mjs', async () => {
    const dir = writeProject({
      'multiarch.config.mjs': "import { defineConfig } from 'multiarch';\nexport default defineConfig({ images: { web: { context: '.', platforms: ['arm'], tags: ['v1'] } } });\n",
      Dockerfile: DOCKERFILE,
    });
    const { file, config } = await loadConfig({ cwd: dir });
    expect(path.basename(file)).toBe('multiarch.config.mjs');
    expect(config.images.web?.platforms).toEqual([{ os: 'linux', architecture: 'arm', variant: 'v7' }]);
  });
});

describe('findConfigFile', () => {
  it(`prefers ${CONFIG_FILE_NAMES.join(', ')} in that order`, () => {
    const dir = writeProject({ 'multiarch.config.mjs': '', 'multiarch.config.mts': '' });
    expect(findConfigFile(dir)).toBe(path.join(dir, 'multiarch.config.mts'));
  });

  it('takes an explicit path relative to the cwd', () => {
    const dir = writeProject({ 'ci/images.config.ts': '' });
    expect(findConfigFile(dir, 'ci/images.config.ts')).toBe(path.join(dir, 'ci', 'images.config.ts'));
  });

  it('looks in the cwd only and says what to do when there is none', () => {
    const dir = writeProject({ 'multiarch.config.ts': '', 'sub/': '' });
    expect(() => findConfigFile(path.join(dir, 'sub'))).toThrow(expect.objectContaining({ code: 'E_CONFIG_NOT_FOUND', hint: expect.stringContaining('--config') }));
    expect(() => findConfigFile(dir, 'nope.ts')).toThrow(expect.objectContaining({ code: 'E_CONFIG_NOT_FOUND', message: `config file nope.ts not found (looked for ${path.join(dir, 'nope.ts')})` }));
  });
});

describe('loadConfig: files the config names', () => {
  const config = (image: string) => `export default { images: { web: { ${image}, platforms: ['linux/amd64'], tags: ['v1'] } } };\n`;

  it('a context without a Dockerfile', async () => {
    const dir = writeProject({ 'multiarch.config.ts': config("context: 'web'"), 'web/': '' });
    expect((await loadError(dir)).details?.[0]).toBe(
      `multiarch.config.ts:1:35 images.web.context: context "web" has no Dockerfile (looked for ${path.join(dir, 'web', 'Dockerfile')})`,
    );
  });

  it('a dockerfile that does not exist', async () => {
    const dir = project(config("context: 'web', dockerfile: 'Dockerfile.prod'"));
    expect((await loadError(dir)).details?.[0]).toBe(
      `multiarch.config.ts:1:51 images.web.dockerfile: dockerfile "Dockerfile.prod" does not exist (looked for ${path.join(dir, 'web', 'Dockerfile.prod')})`,
    );
  });

  it('a context that is a file', async () => {
    const dir = project(config("context: 'web/Dockerfile'"));
    expect((await loadError(dir)).details?.[0]).toMatch(/^multiarch\.config\.ts:1:35 images\.web\.context: context "web\/Dockerfile" is not a directory/);
  });

  it('a named dockerfile in the context is found', async () => {
    const dir = writeProject({ 'multiarch.config.ts': config("context: 'web', dockerfile: 'build/Containerfile'"), 'web/build/Containerfile': DOCKERFILE });
    expect((await loadConfig({ cwd: dir })).config.images.web?.dockerfile).toBe(path.join(dir, 'web', 'build', 'Containerfile'));
  });
});

describe('loadConfig: configs that do not load', () => {
  it('no default export', async () => {
    const error = await loadError(project('export const config = { images: {} };\n'));
    expect(error).toMatchObject({ code: 'E_CONFIG_LOAD', message: 'multiarch.config.ts has no default export' });
    expect(error.hint).toContain('export default defineConfig(');
  });

  it.each([
    ['export default [];', 'an array'],
    ["export default 'images';", 'string'],
    ['export default null;', 'null'],
    ['export default Promise.resolve(3);', 'number'],
  ])('a default export that is not an object: %s', async (source, what) => {
    const error = await loadError(project(`${source}\n`));
    expect(error).toMatchObject({ code: 'E_CONFIG_LOAD', message: `multiarch.config.ts: the default export is ${what}, not a config object` });
  });

  it('a config that throws, located by its stack', async () => {
    const error = await loadError(project(lines('const images = {};', "if (images) throw new Error('no images yet');", 'export default { images };')));
    expect(error.code).toBe('E_CONFIG_LOAD');
    expect(error.message).toBe('multiarch.config.ts threw while loading: no images yet');
    expect(error.details?.[0]).toBe('multiarch.config.ts:2:19 no images yet');
  });

  it('a rejected promise', async () => {
    const error = await loadError(project("export default Promise.reject(new Error('vault is down'));\n"));
    expect(error.message).toBe("multiarch.config.ts: the config's default export rejected: vault is down");
  });

  it('an import that cannot be resolved', async () => {
    const error = await loadError(project("import { x } from 'not-installed-anywhere';\nexport default { images: x };\n"));
    expect(error.code).toBe('E_CONFIG_LOAD');
    expect(error.message).toContain('not-installed-anywhere');
    expect(error.hint).toBe("install not-installed-anywhere in the config's project, or remove the import");
  });

  it('names an explicit config by the path it was given', async () => {
    const dir = writeProject({ 'ci/images.config.ts': 'export const x = 1;\n' });
    expect((await loadError(dir, 'ci/images.config.ts')).message).toBe(`${path.join('ci', 'images.config.ts')} has no default export`);
  });
});
