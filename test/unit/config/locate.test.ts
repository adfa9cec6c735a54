import { describe, expect, it } from 'vitest';
import type { ConfigPath } from '../../../src/config/issue.js';
import { findSyntaxError, locateIssues, locationFromStack } from '../../../src/config/locate.js';

const FILE = '/project/multiarch.config.ts';

/** The location of `path` in `source`, as `line:col`. */
async function at(source: string, path: ConfigPath): Promise<string | undefined> {
  const [issue] = await locateIssues(FILE, source, [{ path, message: 'x' }]);
  return issue?.location ? `${issue.location.line}:${issue.location.column}` : undefined;
}

/** Where `needle` (the n-th occurrence) starts in `source`, as `line:col`. */
function find(source: string, needle: string, nth = 1): string {
  let index = -1;
  for (let i = 0; i < nth; i++) index = source.indexOf(needle, index + 1);
  if (index < 0) throw new Error(`${needle} not in source`);
  const before = source.slice(0, index).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

const body = `{
  registries: { hub: { url: 'docker.io' } },
  images: {
    web: {
      context: './web',
      platforms: ['linux/amd64', 'linux/arm64', 'linux/arm65'],
      tags: ['v1'],
      publish: [{ registry: 'hbu', repository: 'team/web' }],
    },
  },
}`;

describe('locateIssues: export forms', () => {
  const forms: Record<string, string> = {
    'export default defineConfig({…})': `import { defineConfig } from 'multiarch';\n\nexport default defineConfig(${body});\n`,
    'export default {…}': `export default ${body};\n`,
    'export default {…} satisfies UserConfig': `import type { UserConfig } from 'multiarch';\nexport default ${body} satisfies UserConfig;\n`,
    'export default {…} as const': `export default (${body}) as const;\n`,
    'a const bound to defineConfig({…})': `import { defineConfig } from 'multiarch';\nconst config = defineConfig(${body});\nexport default config;\n`,
    'a typed const': `import type { UserConfig } from 'multiarch';\nconst config: UserConfig = ${body};\nexport default config;\n`,
    'export { config as default }': `const config = ${body};\nexport { config as default };\n`,
    'module.exports (CommonJS)': `module.exports = ${body};\n`,
  };

  for (const [name, source] of Object.entries(forms)) {
    it(`follows ${name}`, async () => {
      expect(await at(source, ['images', 'web', 'platforms', 2])).toBe(find(source, "'linux/arm65'"));
      expect(await at(source, ['images', 'web', 'publish', 0, 'registry'])).toBe(find(source, "registry: 'hbu'"));
    });
  }
});

describe('locateIssues: paths', () => {
  const source = `import { defineConfig, ref } from 'multiarch';

const base = {
  context: './base',
  platforms: ['linux/amd64'],
  tags: ['v1'],
};
const shared = { tags: ['v1'] };

export default defineConfig({
  images: {
    base,
    'my-app': {
      ...shared,
      ...defaults(),
      context: './app',
      args: { BASE: ref('base') },
      [dynamicKey]: 1,
    },
  },
});
`;

  it('follows a shorthand property to the const it names', async () => {
    expect(await at(source, ['images', 'base', 'platforms', 0])).toBe(find(source, "'linux/amd64'"));
    expect(await at(source, ['images', 'base'])).toBe(find(source, 'base,'));
  });

  it('points at the key itself, quoted or not', async () => {
    expect(await at(source, ['images', 'my-app'])).toBe(find(source, "'my-app'"));
    expect(await at(source, ['images', 'my-app', 'args', 'BASE'])).toBe(find(source, 'BASE'));
  });

  it('looks into a spread of a known object', async () => {
    expect(await at(source, ['images', 'my-app', 'tags', 0])).toBe(find(source, "'v1'", 2));
  });

  it('stops at the enclosing object for a key it cannot find (missing, or behind a call or computed key)', async () => {
    expect(await at(source, ['images', 'my-app', 'platforms'])).toBe(find(source, "{\n      ...shared"));
    expect(await at(source, ['images', 'base', 'dockerfile'])).toBe(find(source, '{\n  context'));
  });

  it('stops at the array for an index past its end', async () => {
    expect(await at(source, ['images', 'base', 'platforms', 5])).toBe(find(source, "['linux/amd64']"));
  });

  it('points at the root object for a path at the top', async () => {
    expect(await at(source, ['registries'])).toBe(find(source, '{\n  images'));
  });

  it('copes with comments and odd formatting', async () => {
    const odd = `// multiarch config
import {defineConfig} from "multiarch"
/* the images
   we ship */
export default defineConfig(
  {
    images:
    {
      "web" :
        { context : "./web" , // build here
          platforms :
            [ /* first */ "linux/amd64" ,
              // the typo
              "linux/arm65"
            ] ,
          tags:["v1"] } } } )
`;
    expect(await at(odd, ['images', 'web', 'platforms', 1])).toBe('14:15');
    expect(await at(odd, ['images', 'web', 'platforms', 0])).toBe('12:27');
    expect(await at(odd, ['images', 'web', 'tags'])).toBe('16:11');
    expect(await at(odd, ['images', 'web'])).toBe('9:7');
  });

  it('leaves issues unlocated when there is no default export to follow', async () => {
    expect(await at('export const config = {};\n', ['images'])).toBeUndefined();
  });

  it('locates nothing and loads nothing for no issues', async () => {
    expect(await locateIssues(FILE, 'export default {}', [])).toEqual([]);
  });

  it('keeps every issue field', async () => {
    const [issue] = await locateIssues(FILE, `export default ${body}`, [{ path: ['images', 'web'], message: 'm', hint: 'h' }]);
    expect(issue).toEqual({ path: ['images', 'web'], message: 'm', hint: 'h', location: { line: 4, column: 5 } });
  });
});

describe('locateIssues: helper modules', () => {
  const files: Record<string, string> = {
    '/project/platforms.ts': "export const platforms = ['linux/amd64', 'linux/arm65'];\nexport default { tags: ['v1'] };\n",
    '/project/lib/index.ts': "export * from '../platforms.ts';\nexport { default as common } from '../platforms';\n",
  };
  const host = { readFile: (file: string) => files[file] };
  const locate = async (source: string, path: ConfigPath) => (await locateIssues(FILE, source, [{ path, message: 'x' }], host))[0]?.location;

  it('follows a named import into the module and names that file', async () => {
    const source = "import { platforms } from './platforms.ts';\nexport default { images: { web: { platforms } } };\n";
    expect(await locate(source, ['images', 'web', 'platforms', 1])).toEqual({ line: 1, column: 42, file: '/project/platforms.ts' });
  });

  it('follows default imports, `.js` specifiers meaning .ts, and re-exports', async () => {
    const source = [
      "import common from './platforms.js';",
      "import * as lib from './lib/index.js';",
      'export default { images: { web: { platforms: lib.platforms, tags: common.tags }, api: { tags: lib.common.tags } } };',
    ].join('\n');
    expect(await locate(source, ['images', 'web', 'tags', 0])).toEqual({ line: 2, column: 25, file: '/project/platforms.ts' });
    expect(await locate(source, ['images', 'web', 'platforms', 0])).toEqual({ line: 1, column: 27, file: '/project/platforms.ts' });
    expect(await locate(source, ['images', 'api', 'tags', 0])).toEqual({ line: 2, column: 25, file: '/project/platforms.ts' });
  });

  it('stops in the config when the module cannot be read or is a package', async () => {
    const source = "import { platforms } from './missing.ts';\nimport { tags } from 'some-package';\nexport default { images: { web: { platforms, tags } } };\n";
    expect(await locate(source, ['images', 'web', 'platforms', 1])).toEqual({ line: 3, column: 35 });
    expect(await locate(source, ['images', 'web', 'tags', 0])).toEqual({ line: 3, column: 46 });
  });

  it('expands spreads of known arrays, so indexes after them still point at the element', async () => {
    const source = "import { platforms } from './platforms.ts';\nexport default { images: { web: { platforms: [...platforms, 'linux/386', 'x'] } } };\n";
    expect(await locate(source, ['images', 'web', 'platforms', 3])).toEqual({ line: 2, column: 74 });
    expect(await locate(source, ['images', 'web', 'platforms', 1])).toEqual({ line: 1, column: 42, file: '/project/platforms.ts' });
  });
});

describe('findSyntaxError', () => {
  it('reports the first syntax error where the editor would', async () => {
    const source = `export default {\n  images: {\n    web: { context: '.' platforms: [] },\n  },\n};\n`;
    expect(await findSyntaxError(FILE, source)).toEqual({ message: "',' expected.", location: { line: 3, column: 25 } });
  });

  it('finds nothing in a valid config', async () => {
    expect(await findSyntaxError(FILE, `export default { images: {} };\n`)).toBeUndefined();
  });
});

describe('locationFromStack', () => {
  it('takes the first frame in the config file', () => {
    const stack = `Error: boom\n    at helper (/project/lib.ts:1:1)\n    at /project/multiarch.config.ts:4:9\n    at /project/multiarch.config.ts:9:1`;
    expect(locationFromStack(stack, FILE)).toEqual({ line: 4, column: 9 });
    expect(locationFromStack('Error: boom\n    at x (/elsewhere.ts:1:1)', FILE)).toBeUndefined();
    expect(locationFromStack(undefined, FILE)).toBeUndefined();
  });
});
