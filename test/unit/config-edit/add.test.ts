/**
 * `multiarch add image` / `add platform` on configs as people write them — comments, odd
 * formatting, shared consts, helper modules — through the real CLI: each result is a golden file,
 * and is then loaded and planned.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCKERFILE, lines, writeProject } from '../config/fixtures.js';
import { cli, expectGolden, loadAndPlan } from '../golden.js';

const contexts = { 'web/Dockerfile': DOCKERFILE, 'api/Dockerfile': DOCKERFILE, 'api/Dockerfile.worker': DOCKERFILE };

/** Double quotes, four spaces, no semicolons or trailing commas, comments everywhere. */
const ODD = lines(
  '// our images',
  'import {defineConfig} from "multiarch"',
  '',
  'export default defineConfig({',
  '    registries: {',
  '        hub: {url: "docker.io"} // pushed with docker login',
  '    },',
  '    images: {',
  '        "web": {',
  '            context: "./web",',
  '            platforms: [',
  '                "linux/amd64",',
  '                "linux/arm64" // graviton',
  '            ],',
  '            tags: ["v1"],',
  '            publish: [{registry: "hub", repository: "team/web"}]',
  '        }',
  '        /* more images below */',
  '    }',
  '})',
);

/** Two images sharing a const list, a third with its own, and a helper module's list. */
const SHARED = lines(
  "import { defineConfig } from 'multiarch';",
  "import { armPlatforms } from './platforms.js';",
  '',
  "const platforms = ['linux/amd64', 'linux/arm64'];",
  '',
  'export default defineConfig({',
  '  images: {',
  "    web: { context: './web', platforms, tags: ['v1'] },",
  "    api: { context: './api', platforms: platforms, tags: ['v1'] },",
  "    worker: { context: './api', dockerfile: 'Dockerfile.worker', platforms: armPlatforms, tags: ['v1'] },",
  '  },',
  '});',
);
const PLATFORMS_MODULE = "export const armPlatforms = ['linux/arm64'];\n";

async function run(config: string, argv: string[], extra: Record<string, string> = {}) {
  const dir = writeProject({ 'multiarch.config.ts': config, ...contexts, ...extra });
  const result = await cli(dir, ...argv);
  return { dir, ...result, written: fs.readFileSync(path.join(dir, 'multiarch.config.ts'), 'utf8') };
}

describe('multiarch add image', () => {
  it('adds an image in the file’s own style, and a registry for a new --publish host', async () => {
    const r = await run(ODD, ['add', 'image', 'api', '--context', 'api', '--publish', 'ghcr.io/team/api', '--publish', 'hub/team/api']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('added images.api');
    expect(r.stdout).toContain('added registries.ghcr (ghcr.io)');
    expectGolden('config-edit/odd-add-image.config.ts', r.written);
    const planned = await loadAndPlan(r.dir);
    expect(planned.builds).toEqual(['api@linux/amd64', 'api@linux/arm64', 'web@linux/amd64', 'web@linux/arm64']);
    expect(planned.indexRefs).toEqual(['docker.io/team/api:v1', 'docker.io/team/web:v1', 'ghcr.io/team/api:v1']);
  });

  it('copies the first image’s platforms and tags expressions when they mean the same anywhere', async () => {
    const r = await run(SHARED, ['add', 'image', 'tools', '--context', 'web', '--tag', 'v2', '--tag', 'latest'], { 'platforms.ts': PLATFORMS_MODULE });
    expect(r.code, r.stderr).toBe(0);
    expectGolden('config-edit/shared-add-image.config.ts', r.written);
    const planned = await loadAndPlan(r.dir);
    expect(planned.config.images.tools?.tags).toEqual(['v2', 'latest']);
    expect(planned.builds).toContain('tools@linux/arm64');
  });

  it('adds registries above images, after their comment, when the config has none', async () => {
    const config = lines(
      "import { defineConfig } from 'multiarch';",
      'export default defineConfig({',
      '  // what we build',
      '  images: {',
      "    web: { context: './web', platforms: ['linux/amd64'], tags: ['v1'] },",
      '  },',
      '});',
    );
    const r = await run(config, ['add', 'image', 'api', '--context', './api', '--dockerfile', 'Dockerfile.worker', '-p', 'linux/arm64,linux/amd64', '--publish', '127.0.0.1:5000/team/api']);
    expect(r.code, r.stderr).toBe(0);
    expectGolden('config-edit/no-registries-add-image.config.ts', r.written);
    const planned = await loadAndPlan(r.dir);
    expect(planned.config.registries.local).toMatchObject({ host: '127.0.0.1:5000', insecure: true });
    expect(planned.indexRefs).toEqual(['127.0.0.1:5000/team/api:v1']);
  });

  it('keeps CRLF line endings and tab indentation', async () => {
    const config = ['import { defineConfig } from "multiarch";', 'export default defineConfig({', '\timages: {', '\t\tweb: {', '\t\t\tcontext: "./web",', '\t\t\tplatforms: ["linux/amd64"],', '\t\t\ttags: ["v1"],', '\t\t},', '\t},', '});', ''].join('\r\n');
    const r = await run(config, ['add', 'image', 'api', '--context', 'api', '--platform', 'linux/amd64']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.written.replace(/\r\n/g, '')).not.toContain('\n');
    expect(r.written).toContain('\t\tapi: { context: "./api", platforms: ["linux/amd64"], tags: ["v1"] },\r\n\t},');
  });

  it('refuses a name that is taken, and changes nothing', async () => {
    const r = await run(ODD, ['add', 'image', 'web', '--context', 'web']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('already has an image "web"; nothing was changed');
    expect(r.written).toBe(ODD);
  });

  it('writes nothing when the result would not load, and says why at the line', async () => {
    const r = await run(ODD, ['add', 'image', 'api', '--context', 'missing']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('add image api would leave a config that does not load, so nothing was written');
    expect(r.stderr).toMatch(/multiarch\.config\.ts:\d+:\d+ images\.api\.context: context "\.\/missing" does not exist/);
    expect(r.written).toBe(ODD);
    expect(fs.readdirSync(r.dir).filter((f) => f.startsWith('.multiarch'))).toEqual([]);
  });

  it('prints the edited config with --dry-run and writes nothing', async () => {
    const r = await run(ODD, ['add', 'image', 'api', '--context', 'api', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('"api": {'.replace('"api"', 'api'));
    expect(r.written).toBe(ODD);
  });
});

describe('multiarch add platform', () => {
  it('appends to a multi-line list, moving no comment', async () => {
    const r = await run(ODD, ['add', 'platform', 'arm/v7']);
    expect(r.code, r.stderr).toBe(0);
    expectGolden('config-edit/odd-add-platform.config.ts', r.written);
    expect((await loadAndPlan(r.dir)).builds).toEqual(['web@linux/amd64', 'web@linux/arm/v7', 'web@linux/arm64']);
  });

  it('edits a shared const once when every image using it gets the platform; wraps a helper module’s list', async () => {
    const r = await run(SHARED, ['add', 'platform', 'linux/riscv64'], { 'platforms.ts': PLATFORMS_MODULE });
    expect(r.code, r.stderr).toBe(0);
    expectGolden('config-edit/shared-add-platform-all.config.ts', r.written);
    expect(fs.readFileSync(path.join(r.dir, 'platforms.ts'), 'utf8')).toBe(PLATFORMS_MODULE);
    const planned = await loadAndPlan(r.dir);
    for (const image of ['web', 'api', 'worker']) expect(planned.builds).toContain(`${image}@linux/riscv64`);
  });

  it('gives one image its own list when the const is shared with images left alone', async () => {
    const r = await run(SHARED, ['add', 'platform', 'linux/riscv64', '--image', 'web'], { 'platforms.ts': PLATFORMS_MODULE });
    expect(r.code, r.stderr).toBe(0);
    expectGolden('config-edit/shared-add-platform-web.config.ts', r.written);
    const planned = await loadAndPlan(r.dir);
    expect(planned.builds.filter((b) => b.endsWith('riscv64'))).toEqual(['web@linux/riscv64']);
  });

  it('says when every image has it already, and writes nothing', async () => {
    const r = await run(ODD, ['add', 'platform', 'aarch64']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Nothing to change in multiarch.config.ts:\n  web: already built for linux/arm64\n');
    expect(r.written).toBe(ODD);
  });

  it('edits a config that is invalid only for want of the platform (a ref() base lacking it)', async () => {
    const config = lines(
      "import { defineConfig, ref } from 'multiarch';",
      'export default defineConfig({',
      "  registries: { hub: { url: 'docker.io' } },",
      '  images: {',
      "    base: { context: './web', platforms: ['linux/amd64'], tags: ['v1'], publish: [{ registry: 'hub', repository: 'team/base' }] },",
      "    app: { context: './api', platforms: ['linux/amd64', 'linux/arm64'], tags: ['v1'], args: { BASE: ref('base') } },",
      '  },',
      '});',
    );
    const r = await run(config, ['add', 'platform', 'linux/arm64', '-i', 'base']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.written).toContain("base: { context: './web', platforms: ['linux/amd64', 'linux/arm64'], tags");
    expect((await loadAndPlan(r.dir)).builds).toContain('base@linux/arm64');
  });

  it('names an unknown --image', async () => {
    const r = await run(ODD, ['add', 'platform', 'linux/arm/v7', '--image', 'wbe']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--image wbe: there is no image "wbe"');
  });
});

describe('multiarch add: configs too dynamic to edit safely', () => {
  const refused = async (config: string, argv: string[], extra: Record<string, string> = {}) => {
    const r = await run(config, argv, extra);
    expect(r.code).toBe(1);
    expect(r.written).toBe(config);
    return r.stderr;
  };
  const helpers = "export const makeImages = () => ({ api: { context: './api', platforms: ['linux/amd64'], tags: ['v1'] } });\nexport const name = 'api';\n";

  it('refuses images spread from a function call, pointing at it', async () => {
    const config = lines(
      "import { defineConfig } from 'multiarch';",
      "import { makeImages } from './helpers.ts';",
      'export default defineConfig({',
      '  images: {',
      '    ...makeImages(),',
      "    web: { context: './web', platforms: ['linux/amd64'], tags: ['v1'] },",
      '  },',
      '});',
    );
    const stderr = await refused(config, ['add', 'image', 'tools', '--context', 'web'], { 'helpers.ts': helpers });
    expect(stderr).toContain('multiarch.config.ts is too dynamic to edit here safely; nothing was changed');
    expect(stderr).toContain('multiarch.config.ts:5:5 images spreads `...makeImages()`, whose keys are only known when the config runs');
    expect(stderr).toContain('    > 5 |     ...makeImages(),');
    expect(stderr).toContain('hint: make the change by hand, or write the entries of images out as object literals');
    // The image written after the spread can still be edited: its own keys are all there.
    const r = await run(config, ['add', 'platform', 'linux/arm64', '-i', 'web'], { 'helpers.ts': helpers });
    expect(r.code, r.stderr).toBe(0);
    expect(r.written).toContain("web: { context: './web', platforms: ['linux/amd64', 'linux/arm64'], tags");
  });

  it('refuses computed keys', async () => {
    const config = lines(
      "import { defineConfig } from 'multiarch';",
      "import { name } from './helpers.ts';",
      'export default defineConfig({',
      '  images: {',
      "    [name]: { context: './api', platforms: ['linux/amd64'], tags: ['v1'] },",
      '  },',
      '});',
    );
    const stderr = await refused(config, ['add', 'platform', 'linux/arm64'], { 'helpers.ts': helpers });
    expect(stderr).toContain("multiarch.config.ts:5:5 images has a computed key (`[name]: { context: './api', platforms…`), only known when the config runs");
    expect(stderr).toContain('hint: make the change by hand, or write the key of images as a plain name or string');
  });

  it('refuses images that come from a call', async () => {
    const config = lines("import { defineConfig } from 'multiarch';", "import { makeImages } from './helpers.ts';", 'export default defineConfig({ images: makeImages() });');
    const stderr = await refused(config, ['add', 'image', 'web', '--context', 'web'], { 'helpers.ts': helpers });
    expect(stderr).toContain('multiarch.config.ts:3:39 images is computed (`makeImages()`), not written out, so it cannot be edited safely');
  });

  it('refuses a platform for one image whose list comes from an object others spread too', async () => {
    const config = lines(
      "import { defineConfig } from 'multiarch';",
      "const common = { platforms: ['linux/amd64'], tags: ['v1'] };",
      'export default defineConfig({',
      "  images: { web: { ...common, context: './web' }, api: { ...common, context: './api' } },",
      '});',
    );
    const stderr = await refused(config, ['add', 'platform', 'linux/arm64', '--image', 'web']);
    expect(stderr).toContain("multiarch.config.ts:2:18 images.web takes its platforms from an object it spreads (`platforms: ['linux/amd64']`)");
    expect(stderr).toContain('hint: add "linux/arm64" there to change every image that uses it, or give images.web its own platforms: [...]');
    // For every image, the shared list itself is the place.
    const r = await run(config, ['add', 'platform', 'linux/arm64']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.written).toContain("const common = { platforms: ['linux/amd64', 'linux/arm64'], tags: ['v1'] };");
  });

  it('refuses images written in another module', async () => {
    const config = lines("import { defineConfig } from 'multiarch';", "import { images } from './images.ts';", 'export default defineConfig({ images });');
    const stderr = await refused(config, ['add', 'image', 'api', '--context', 'api'], {
      'images.ts': "export const images = { web: { context: './web', platforms: ['linux/amd64'], tags: ['v1'] } };\n",
    });
    expect(stderr).toContain('images.ts:1:23 images is written in another module, which multiarch does not edit');
    expect(stderr).toContain('hint: make the change there by hand');
  });
});
