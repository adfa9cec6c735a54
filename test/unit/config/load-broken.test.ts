/**
 * Broken configs as a user would write them, loaded for real: each error must name the problem
 * and point at it as file:line:col with a code frame.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lines, loadError, project } from './fixtures.js';

describe('loadConfig: odd formatting', () => {
  it('locates problems in a config with comments and odd formatting', async () => {
    const error = await loadError(
      project(
        lines(
          '// images we ship',
          'import {defineConfig} from "multiarch"',
          '/* one image,',
          '   three platforms */',
          'const web = {',
          '  "context" : "./web" , // the app',
          '  platforms :',
          '    [ /* pc */ "linux/amd64" ,',
          '      "linux/arm65" ] ,',
          '  tags:["v1"] }',
          'export default defineConfig( { images : { web } } )',
        ),
      ),
    );
    expect(error.details?.slice(0, 5)).toEqual([
      'multiarch.config.ts:9:7 images.web.platforms[1]: "linux/arm65" is not a platform — did you mean "linux/arm64"?',
      '     8 |     [ /* pc */ "linux/amd64" ,',
      '  >  9 |       "linux/arm65" ] ,',
      '       |       ^',
      '    10 |   tags:["v1"] }',
    ]);
  });
});

/** The ten broken configs: each error names the problem and where it is, as file:line:col. */
describe('loadConfig: broken configs', () => {
  const invalid = async (config: string, expected: string, problems = 1, files: Record<string, string> = {}) => {
    const error = await loadError(project(config, files));
    expect(error.code).toBe('E_CONFIG_INVALID');
    expect(error.message).toBe(`multiarch.config.ts: ${problems === 1 ? '1 problem' : `${problems} problems`} in the config`);
    expect(error.hint).toBe('fix the fields above; nothing was built or pushed');
    expect(error.details).toContain(expected);
    return error;
  };

  it('an unknown top-level key', async () => {
    const error = await invalid(
      lines(
        "import { defineConfig } from 'multiarch';",
        '',
        'export default defineConfig({',
        "  registries: { hub: { url: 'docker.io' } },",
        '  imagez: {},',
        '  images: {',
        "    web: { context: './web', platforms: ['linux/amd64'], tags: ['v1'] },",
        '  },',
        '});',
      ),
      'multiarch.config.ts:5:3 imagez: unknown key "imagez" — did you mean "images"?',
    );
    expect(error.details).toEqual([
      'multiarch.config.ts:5:3 imagez: unknown key "imagez" — did you mean "images"?',
      '  hint: allowed here: registries, scan, images, builders, cacheDir',
      "    4 |   registries: { hub: { url: 'docker.io' } },",
      '  > 5 |   imagez: {},',
      '      |   ^',
      '    6 |   images: {',
    ]);
  });

  it('a misspelled image key (and the key it lacks)', async () => {
    const error = await invalid(
      lines(
        "import { defineConfig } from 'multiarch';",
        '',
        'export default defineConfig({',
        '  images: {',
        '    web: {',
        "      context: './web',",
        "      platfroms: ['linux/amd64'],",
        "      tags: ['v1'],",
        '    },',
        '  },',
        '});',
      ),
      'multiarch.config.ts:7:7 images.web.platfroms: unknown key "platfroms" — did you mean "platforms"?',
      2,
    );
    expect(error.details).toContain('multiarch.config.ts:5:10 images.web.platforms: platforms is required');
  });

  it('a platform typo, with a suggestion', async () => {
    await invalid(
      lines(
        "import { defineConfig } from 'multiarch';",
        '',
        'export default defineConfig({',
        '  images: {',
        '    web: {',
        "      context: './web',",
        "      platforms: ['linux/amd64', 'linux/arm64', 'linux/arm65'],",
        "      tags: ['v1'],",
        '    },',
        '  },',
        '});',
      ),
      'multiarch.config.ts:7:49 images.web.platforms[2]: "linux/arm65" is not a platform — did you mean "linux/arm64"?',
    );
  });

  it('an empty platforms list', async () => {
    await invalid(
      lines(
        "import { defineConfig } from 'multiarch';",
        '',
        'export default defineConfig({',
        '  images: {',
        '    web: {',
        "      context: './web',",
        '      platforms: [],',
        "      tags: ['v1'],",
        '    },',
        '  },',
        '});',
      ),
      'multiarch.config.ts:7:7 images.web.platforms: list at least one platform, e.g. ["linux/amd64", "linux/arm64"]',
    );
  });

  it('a ref() to an image that does not exist', async () => {
    await invalid(
      lines(
        "import { defineConfig, ref } from 'multiarch';",
        '',
        'export default defineConfig({',
        "  registries: { hub: { url: 'docker.io' } },",
        '  images: {',
        "    base: { context: './web', platforms: ['linux/amd64'], tags: ['v1'], publish: [{ registry: 'hub', repository: 'team/base' }] },",
        '    web: {',
        "      context: './web',",
        "      platforms: ['linux/amd64'],",
        "      tags: ['v1'],",
        "      args: { BASE: ref('bsae') },",
        '    },',
        '  },',
        '});',
      ),
      'multiarch.config.ts:11:15 images.web.args.BASE: ref("bsae") names an image that is not in this config — did you mean "base"?',
    );
  });

  it('a ref() cycle', async () => {
    await invalid(
      lines(
        "import { defineConfig, ref } from 'multiarch';",
        '',
        'export default defineConfig({',
        "  registries: { hub: { url: 'docker.io' } },",
        '  images: {',
        '    a: {',
        "      context: './web', platforms: ['linux/amd64'], tags: ['v1'],",
        "      args: { B: ref('b') },",
        "      publish: [{ registry: 'hub', repository: 'team/a' }],",
        '    },',
        '    b: {',
        "      context: './web', platforms: ['linux/amd64'], tags: ['v1'],",
        "      args: { A: ref('a') },",
        "      publish: [{ registry: 'hub', repository: 'team/b' }],",
        '    },',
        '  },',
        '});',
      ),
      'multiarch.config.ts:8:15 images.a.args.B: ref() cycle: a → b → a',
    );
  });

  it('an unknown registry', async () => {
    await invalid(
      lines(
        "import { defineConfig } from 'multiarch';",
        '',
        'export default defineConfig({',
        "  registries: { hub: { url: 'docker.io' } },",
        '  images: {',
        '    web: {',
        "      context: './web', platforms: ['linux/amd64'], tags: ['v1'],",
        "      publish: [{ registry: 'hbu', repository: 'team/web' }],",
        '    },',
        '  },',
        '});',
      ),
      'multiarch.config.ts:8:19 images.web.publish[0].registry: registry "hbu" is not defined — did you mean "hub"?',
    );
  });

  it('two platforms written to one tag', async () => {
    const error = await invalid(
      lines(
        "import { defineConfig } from 'multiarch';",
        '',
        'export default defineConfig({',
        "  registries: { hub: { url: 'docker.io' } },",
        '  images: {',
        '    web: {',
        "      context: './web', platforms: ['linux/arm/v6', 'linux/arm/v7'], tags: ['v1'],",
        '      publish: [',
        '        {',
        "          registry: 'hub',",
        "          repository: 'team/web',",
        "          platformRepository: 'team/web-{arch}',",
        "          platformTag: '{tag}',",
        '        },',
        '      ],',
        '    },',
        '  },',
        '});',
      ),
      'multiarch.config.ts:13:11 images.web.publish[0].platformTag: web linux/arm/v7 and web linux/arm/v6 would both be written to docker.io/team/web-arm:v1',
    );
    expect(error.details?.[1]).toMatch(/^ {2}hint: .*\{variant\} or \{platform\}/);
  });

  it('a context directory that does not exist, reported with the other problems', async () => {
    const dir = project(
      lines(
        "import { defineConfig } from 'multiarch';",
        '',
        'export default defineConfig({',
        '  images: {',
        '    web: {',
        "      context: './api',",
        "      platforms: ['linux/amd64', 'linux/arm65'],",
        "      tags: ['v1'],",
        '    },',
        '  },',
        '});',
      ),
    );
    const error = await loadError(dir);
    expect(error.message).toBe('multiarch.config.ts: 2 problems in the config');
    expect(error.details).toContain(`multiarch.config.ts:6:7 images.web.context: context "./api" does not exist (looked in ${path.join(dir, 'api')})`);
    expect(error.details).toContain('multiarch.config.ts:7:34 images.web.platforms[1]: "linux/arm65" is not a platform — did you mean "linux/arm64"?');
  });

  it('a syntax error', async () => {
    const error = await loadError(
      project(
        lines(
          "import { defineConfig } from 'multiarch';",
          '',
          'export default defineConfig({',
          '  images: {',
          '    web: {',
          "      context: './web'",
          "      platforms: ['linux/amd64'],",
          "      tags: ['v1'],",
          '    },',
          '  },',
          '});',
        ),
      ),
    );
    expect(error.code).toBe('E_CONFIG_LOAD');
    expect(error.message).toBe('multiarch.config.ts has a syntax error');
    expect(error.details).toEqual([
      "multiarch.config.ts:7:7 ',' expected.",
      "    6 |       context: './web'",
      "  > 7 |       platforms: ['linux/amd64'],",
      '      |       ^',
      "    8 |       tags: ['v1'],",
    ]);
  });
});


describe('loadConfig: problems in helper modules the config imports', () => {
  it('points into the helper module that holds the bad value, with its code frame', async () => {
    const error = await loadError(
      project(
        lines(
          "import { defineConfig } from 'multiarch';",
          "import { platforms } from './platforms.ts';",
          '',
          'export default defineConfig({',
          "  images: { web: { context: './web', platforms, tags: ['v1'] } },",
          '});',
        ),
        {
          'platforms.ts': lines(
            '// every image ships for these',
            'export const platforms = [',
            "  'linux/amd64',",
            "  'linux/arm65',",
            '];',
          ),
        },
      ),
    );
    expect(error.code).toBe('E_CONFIG_INVALID');
    expect(error.details).toEqual([
      'platforms.ts:4:3 images.web.platforms[1]: "linux/arm65" is not a platform — did you mean "linux/arm64"?',
      "    3 |   'linux/amd64',",
      "  > 4 |   'linux/arm65',",
      '      |   ^',
      '    5 | ];',
    ]);
  });

  it('follows namespace imports, re-exports and spreads across modules', async () => {
    const dir = project(
      lines(
        "import { defineConfig } from 'multiarch';",
        "import * as shared from './lib/index.js';",
        '',
        'export default defineConfig({',
        "  images: { web: { context: './web', platforms: [...shared.platforms, 'linux/386'], tags: shared.tags } },",
        '});',
      ),
      {
        'lib/index.ts': "export { platforms } from './platforms.ts';\nexport const tags = ['v1', 'v1'];\n",
        'lib/platforms.ts': "const arm = ['linux/arm64', 'linux/arm/v8'];\nexport const platforms = ['linux/amd64', ...arm];\n",
      },
    );
    const error = await loadError(dir);
    expect(error.details).toContain(`${path.join('lib', 'platforms.ts')}:1:29 images.web.platforms[2]: "linux/arm/v8" is not a platform — did you mean "linux/arm/v7"?`);
    expect(error.details).toContain(`${path.join('lib', 'index.ts')}:2:28 images.web.tags[1]: tag "v1" is listed twice`);
  });

  it('points at the throw in the helper module, then at the config line that reaches it', async () => {
    const error = await loadError(
      project(
        lines(
          "import { defineConfig } from 'multiarch';",
          "import { platformsFor } from './platforms.ts';",
          "export default defineConfig({ images: { web: { context: './web', platforms: platformsFor('api'), tags: ['v1'] } } });",
        ),
        {
          'platforms.ts': lines(
            'export function platformsFor(kind: string): string[] {',
            "  if (kind !== 'web') throw new Error(`no platforms for ${kind}`);",
            "  return ['linux/amd64'];",
            '}',
          ),
        },
      ),
    );
    expect(error.code).toBe('E_CONFIG_LOAD');
    expect(error.message).toBe('multiarch.config.ts threw while loading: no platforms for api');
    expect(error.details?.slice(0, 6)).toEqual([
      'platforms.ts:2:29 no platforms for api',
      '    1 | export function platformsFor(kind: string): string[] {',
      "  > 2 |   if (kind !== 'web') throw new Error(`no platforms for ${kind}`);",
      '      |                             ^',
      "    3 |   return ['linux/amd64'];",
      '',
    ]);
    expect(error.details?.[6]).toMatch(/^multiarch\.config\.ts:3:\d+ \(platforms\.ts is reached from here\)$/);
  });
});
