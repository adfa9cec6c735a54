import { describe, expect, it } from 'vitest';
import { ref } from '../../../src/index.js';
import { config, image, issuesOf, resolve } from './fixtures.js';

const hub = [{ registry: 'hub', repository: 'team/web' }];

describe('validateConfig: shape', () => {
  it('resolves a good config: platforms canonical, paths absolute, defaults filled in', () => {
    const resolved = resolve(config({ web: image({ platforms: ['x86_64', 'arm64/v8', 'arm'], publish: hub }) }));
    const web = resolved.images.web!;
    expect(web.platforms).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ]);
    expect(web.context).toBe('/project/web');
    expect(web.dockerfile).toBe('/project/web/Dockerfile');
    expect(web.publish[0]).toMatchObject({ platformRepository: 'team/web', platformTag: '{tag}-{platform}', indexTag: '{tag}', format: 'oci' });
    expect(resolved.registries.hub).toMatchObject({ host: 'docker.io', apiHost: 'registry-1.docker.io', isDockerHub: true });
  });

  it('reports unknown keys at any depth, each with a suggestion', () => {
    const issues = issuesOf(
      config(
        { web: image({ platfroms: ['linux/amd64'], publish: [{ registry: 'hub', repository: 'team/web', indexTAG: 'x' }], test: { http: { prot: 80 } } }) },
        { imagez: {} },
      ),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: ['imagez'], message: 'unknown key "imagez" — did you mean "images"?', hint: 'allowed here: registries, scan, images, builders, cacheDir' }),
        expect.objectContaining({ path: ['images', 'web', 'platfroms'], message: 'unknown key "platfroms" — did you mean "platforms"?' }),
        expect.objectContaining({ path: ['images', 'web', 'publish', 0, 'indexTAG'], message: 'unknown key "indexTAG" — did you mean "indexTag"?' }),
        expect.objectContaining({ path: ['images', 'web', 'test', 'http', 'prot'], message: 'unknown key "prot" — did you mean "port"?' }),
      ]),
    );
    expect(issues).toHaveLength(5); // and test.http.port is missing
  });

  it('tells a missing field from a wrong type', () => {
    const issues = issuesOf(config({ web: { context: 7, platforms: ['linux/amd64'] } }));
    expect(issues).toEqual([
      { path: ['images', 'web', 'context'], message: 'expected string, got number 7' },
      { path: ['images', 'web', 'tags'], message: 'tags is required', hint: 'expected array' },
    ]);
  });

  it('rejects a config that is not an object', () => {
    expect(issuesOf([])).toEqual([{ path: [], message: 'expected object, got an array' }]);
  });

  it('wants at least one platform', () => {
    expect(issuesOf(config({ web: image({ platforms: [] }) }))).toEqual([
      { path: ['images', 'web', 'platforms'], message: 'list at least one platform, e.g. ["linux/amd64", "linux/arm64"]' },
    ]);
  });
});

describe('validateConfig: platforms', () => {
  it('suggests the platform meant by a typo', () => {
    expect(issuesOf(config({ web: image({ platforms: ['linux/amd64', 'linux/arm64', 'linux/arm65'] }) }))).toEqual([
      { path: ['images', 'web', 'platforms', 2], message: '"linux/arm65" is not a platform — did you mean "linux/arm64"?' },
    ]);
  });

  it('lists the known platforms when nothing is close', () => {
    const [issue] = issuesOf(config({ web: image({ platforms: ['windows/amd64'] }) }));
    expect(issue?.hint).toMatch(/^known platforms: linux\/amd64, linux\/arm64/);
  });

  it('reports the same platform written twice, also through an alias', () => {
    expect(issuesOf(config({ web: image({ platforms: ['linux/arm64', 'aarch64'] }) }))).toEqual([
      { path: ['images', 'web', 'platforms', 1], message: '"aarch64" is the same platform as platforms[0] (linux/arm64)', hint: 'list each platform once' },
    ]);
  });

  it('reports a tag listed twice', () => {
    expect(issuesOf(config({ web: image({ tags: ['v1', 'v1'] }) }))[0]).toMatchObject({ path: ['images', 'web', 'tags', 1] });
  });
});

describe('validateConfig: registries and refs', () => {
  it('suggests the registry meant', () => {
    expect(issuesOf(config({ web: image({ publish: [{ registry: 'hbu', repository: 'team/web' }] }) }))).toEqual([
      {
        path: ['images', 'web', 'publish', 0, 'registry'],
        message: 'registry "hbu" is not defined — did you mean "hub"?',
        hint: 'use one of: hub, or add it under registries',
      },
    ]);
  });

  it('rejects a registry url with a scheme and says what to write', () => {
    expect(issuesOf(config({ web: image() }, { registries: { local: { url: 'http://127.0.0.1:5000/' } } }))).toEqual([
      {
        path: ['registries', 'local', 'url'],
        message: '"http://127.0.0.1:5000/" has a scheme; write the host as it appears in image references',
        hint: 'use url: "127.0.0.1:5000" with insecure: true',
      },
    ]);
  });

  it('suggests the image a ref() meant', () => {
    const issues = issuesOf(config({ base: image({ publish: hub }), web: image({ args: { BASE: ref('bsae') } }) }));
    expect(issues).toEqual([
      {
        path: ['images', 'web', 'args', 'BASE'],
        message: 'ref("bsae") names an image that is not in this config — did you mean "base"?',
        hint: 'images are: base, web',
      },
    ]);
  });

  it('shows a ref() cycle as a path', () => {
    const issues = issuesOf(
      config({
        a: image({ args: { B: ref('b') }, publish: [{ registry: 'hub', repository: 'team/a' }] }),
        b: image({ args: { A: ref('a') }, publish: [{ registry: 'hub', repository: 'team/b' }] }),
      }),
    );
    expect(issues).toEqual([expect.objectContaining({ path: ['images', 'a', 'args', 'B'], message: 'ref() cycle: a → b → a' })]);
  });

  it('rejects a ref() to itself', () => {
    const issues = issuesOf(config({ web: image({ args: { SELF: ref('web') }, publish: hub }) }));
    expect(issues[0]).toMatchObject({ message: 'ref("web") refers to the image itself' });
  });

  it('needs the image a ref() names to be published', () => {
    expect(issuesOf(config({ base: image(), web: image({ args: { BASE: ref('base') } }) }))).toEqual([
      {
        path: ['images', 'web', 'args', 'BASE'],
        message: 'ref("base") needs "base" to be published, but it has no publish targets',
        hint: 'add a publish entry to images.base so that web can be built on its digest',
      },
    ]);
  });

  it('needs the image a ref() names to have every platform of the image built on it', () => {
    const issues = issuesOf(
      config({
        base: image({ platforms: ['linux/amd64'], publish: [{ registry: 'hub', repository: 'team/base' }] }),
        web: image({ platforms: ['linux/amd64', 'linux/arm/v7'], args: { BASE: ref('base') } }),
      }),
    );
    expect(issues).toEqual([
      {
        path: ['images', 'web', 'args', 'BASE'],
        message: 'web is built for linux/arm/v7 but ref("base") has no such platform',
        hint: 'add "linux/arm/v7" to images.base.platforms, or drop it from images.web.platforms',
      },
    ]);
  });

  it('checks that a ref() with a registry names one the image is published to', () => {
    const issues = issuesOf(
      config({ base: image({ publish: [{ registry: 'hub', repository: 'team/base' }] }), web: image({ args: { BASE: ref('base', { registry: 'ecr' }) } }) }),
    );
    expect(issues[0]?.message).toBe('ref("base", { registry: "ecr" }): base is not published to "ecr"');
  });
});

describe('validateConfig: published names', () => {
  it('refuses two platforms writing one tag, and says how to tell them apart', () => {
    const issues = issuesOf(
      config({
        web: image({
          platforms: ['linux/arm/v6', 'linux/arm/v7'],
          publish: [{ registry: 'hub', repository: 'x/web', platformRepository: 'x/web-{arch}', platformTag: '{tag}' }],
        }),
      }),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      path: ['images', 'web', 'publish', 0, 'platformTag'],
      message: 'web linux/arm/v7 and web linux/arm/v6 would both be written to docker.io/x/web-arm:v1',
    });
    expect(issues[0]?.hint).toMatch(/\{variant\} or \{platform\}/);
  });

  it('refuses an index tag that a platform image also writes', () => {
    const issues = issuesOf(
      config({ web: image({ platforms: ['linux/amd64'], publish: [{ registry: 'hub', repository: 'x/web', platformTag: '{tag}' }] }) }),
    );
    expect(issues[0]).toMatchObject({ path: ['images', 'web', 'publish', 0, 'indexTag'] });
    expect(issues[0]?.message).toContain('would both be written to docker.io/x/web:v1');
  });

  it('rejects names that do not render to a valid repository or tag', () => {
    const issues = issuesOf(
      config({ web: image({ platforms: ['linux/amd64'], publish: [{ registry: 'hub', repository: 'Team/Web', platformTag: '{tag}:{arch}' }] }) }),
    );
    expect(issues.map((i) => [i.path.at(-1), i.message])).toEqual([
      ['platformRepository', 'renders to "Team/Web" for linux/amd64, which is not a valid repository name'],
      ['platformTag', 'renders to "v1:amd64" for linux/amd64, which is not a valid tag name'],
      ['repository', '"Team/Web" is not a valid repository name'],
    ]);
  });

  it('names an unknown template placeholder and lists the known ones', () => {
    const issues = issuesOf(config({ web: image({ publish: [{ registry: 'hub', repository: 'x/web', platformTag: '{tag}-{archh}' }] }) }));
    expect(issues).toEqual([
      {
        path: ['images', 'web', 'publish', 0, 'platformTag'],
        message: 'unknown placeholder {archh} in "{tag}-{archh}" — use {image} {tag} {os} {arch} {variant} {platform}',
      },
    ]);
  });

  it('reports a naming function that throws or returns a non-string', () => {
    const issues = issuesOf(
      config({
        web: image({
          publish: [
            {
              registry: 'hub',
              repository: 'x/web',
              platformTag: () => {
                throw new Error('nope');
              },
              indexTag: () => 42,
            },
          ],
        }),
      }),
    );
    expect(issues.map((i) => i.message)).toEqual(['the naming function threw: nope', 'the naming function returned number, not a string']);
  });
});
