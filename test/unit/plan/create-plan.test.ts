import { describe, expect, it } from 'vitest';
import { ref } from '../../../src/config/ref.js';
import { builderFacts, ids, localConfig, node, plan, THREE } from './fixtures.js';

const local = { name: 'local', host: '127.0.0.1:5000', apiHost: '127.0.0.1:5000', authKey: '127.0.0.1:5000', scheme: 'http', isDockerHub: false };

describe('createPlan: nodes and ids', () => {
  it('creates build, test, push and index nodes with readable ids', () => {
    const p = plan(localConfig());
    expect(ids(p, 'build')).toEqual([
      'build:base@linux/amd64',
      'build:base@linux/arm64',
      'build:base@linux/arm/v7',
      'build:web@linux/amd64',
      'build:web@linux/arm64',
      'build:web@linux/arm/v7',
    ]);
    expect(ids(p, 'test')).toEqual(['test:base@linux/amd64', 'test:base@linux/arm64', 'test:base@linux/arm/v7']);
    expect(ids(p, 'push')).toEqual(
      expect.arrayContaining(['push:web@linux/arm64->local', 'push:base@linux/arm/v7->local']),
    );
    expect(ids(p, 'push')).toHaveLength(6);
    expect(ids(p, 'index')).toEqual(['index:base:v1->local', 'index:web:v1->local']);
    expect(Object.keys(p.nodes)).toHaveLength(6 + 3 + 6 + 2);
    expect(p.version).toBe(1);
    expect(p.configFile).toBe('/abs/dir/multiarch.config.ts');
    expect(p.notes).toEqual([]);
  });

  it('renders builds with absolute paths, plain args and a local tag per platform', () => {
    const p = plan(localConfig({ web: { target: 'runtime', dockerfile: 'docker/Dockerfile.web', tags: ['v2', 'latest'] } }));
    const build = node(p, 'build', 'build:web@linux/arm/v7');
    expect(build).toMatchObject({
      image: 'web',
      platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
      context: '/abs/dir/web',
      dockerfile: '/abs/dir/web/docker/Dockerfile.web',
      target: 'runtime',
      localTag: 'multiarch/web:v2-linux-arm-v7',
      labels: {},
    });
    expect(build.args.MODE).toBe('prod');
    expect(node(p, 'build', 'build:base@linux/amd64')).not.toHaveProperty('target');
  });

  it('is plain JSON: a round trip through JSON gives the same plan', () => {
    const p = plan(localConfig(), { ...builderFacts, git: { revision: 'abc123' } });
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });

  it('builds only, with no push or index, for an image that is not published', () => {
    const p = plan({ images: { tool: { context: '.', platforms: ['linux/amd64', 'linux/arm64'], tags: ['dev'] } } });
    expect(p.order).toEqual(['build:tool@linux/amd64', 'build:tool@linux/arm64']);
    expect(node(p, 'build', 'build:tool@linux/amd64').context).toBe('/abs/dir');
  });
});

describe('createPlan: tests gate pushes', () => {
  it('puts a test after each build and makes the push wait for the test', () => {
    const p = plan(localConfig());
    const test = node(p, 'test', 'test:base@linux/arm64');
    expect(test.deps).toEqual(['build:base@linux/arm64']);
    expect(test.build).toBe('build:base@linux/arm64');
    expect(test.command).toEqual(['uname', '-m']);
    expect(test.timeoutSeconds).toBe(120);
    expect(node(p, 'push', 'push:base@linux/arm64->local').deps).toEqual(['test:base@linux/arm64']);
  });

  it('makes the push wait for the build when there is no test', () => {
    const p = plan(localConfig());
    expect(Object.keys(p.nodes).some((id) => id.startsWith('test:web'))).toBe(false);
    const push = node(p, 'push', 'push:web@linux/arm64->local');
    expect(push.deps).toEqual(['build:web@linux/arm64']);
    expect(push.build).toBe('build:web@linux/arm64');
  });

  it('renders expectOutput per platform: {uname} and the naming placeholders', () => {
    const p = plan(localConfig());
    expect(node(p, 'test', 'test:base@linux/amd64').expectOutput).toBe('x86_64');
    expect(node(p, 'test', 'test:base@linux/arm64').expectOutput).toBe('aarch64');
    expect(node(p, 'test', 'test:base@linux/arm/v7').expectOutput).toBe('armv7l');

    const q = plan(localConfig({ base: { test: { command: ['sh', '-c', 'x'], expectOutput: '{image}:{tag} {os}/{arch}{variant} ({platform}) {uname}' } } }));
    expect(node(q, 'test', 'test:base@linux/arm/v7').expectOutput).toBe('base:v1 linux/armv7 (linux-arm-v7) armv7l');
  });

  it('keeps braces that are not placeholders, such as expected JSON', () => {
    const p = plan(localConfig({ base: { test: { command: ['cat', '/x.json'], expectOutput: '{"ok":true}' } } }));
    expect(node(p, 'test', 'test:base@linux/arm64').expectOutput).toBe('{"ok":true}');
  });

  it('carries the HTTP probe with its defaults and leaves out what is not configured', () => {
    const p = plan(localConfig({ base: { test: { http: { port: 8080 }, timeout: 30 } } }));
    const test = node(p, 'test', 'test:base@linux/amd64');
    expect(test.http).toEqual({ port: 8080, path: '/', expectStatus: 200, timeoutSeconds: 60 });
    expect(test.timeoutSeconds).toBe(30);
    expect(test).not.toHaveProperty('command');
    expect(test).not.toHaveProperty('expectOutput');
  });
});

describe('createPlan: ref() build args', () => {
  it('makes each platform build wait for the base push of the same platform', () => {
    const p = plan(localConfig());
    for (const platform of THREE) {
      const build = node(p, 'build', `build:web@${platform}`);
      expect(build.deps).toEqual([`push:base@${platform}->local`]);
      expect(build.args.BASE).toEqual({
        ref: { image: 'base', node: `push:base@${platform}->local`, repository: '127.0.0.1:5000/team/base' },
      });
    }
    expect(node(p, 'build', 'build:base@linux/amd64').deps).toEqual([]);
  });

  it('uses the base repository of that platform when the base publishes one repository per arch', () => {
    const p = plan(
      localConfig({
        base: {
          platforms: ['linux/amd64', 'linux/arm64'],
          publish: [{ registry: 'local', repository: 'team/base', platformRepository: 'team/base-{arch}', platformTag: '{tag}' }],
        },
        web: { platforms: ['linux/amd64', 'linux/arm64'] },
      }),
    );
    expect(node(p, 'build', 'build:web@linux/arm64').args.BASE).toEqual({
      ref: { image: 'base', node: 'push:base@linux/arm64->local', repository: '127.0.0.1:5000/team/base-arm64' },
    });
  });

  it('builds on the copy in the registry ref() names', () => {
    const input = localConfig({
      base: {
        publish: [
          { registry: 'local', repository: 'team/base' },
          { registry: 'mirror', repository: 'mirror/base' },
        ],
      },
      web: { args: { BASE: ref('base', { registry: 'mirror' }) } },
    });
    const p = plan({ ...input, registries: { ...input.registries, mirror: { url: 'registry.example.com:443' } } });
    expect(node(p, 'build', 'build:web@linux/arm64')).toMatchObject({
      deps: ['push:base@linux/arm64->mirror'],
      args: { BASE: { ref: { image: 'base', node: 'push:base@linux/arm64->mirror', repository: 'registry.example.com:443/mirror/base' } } },
    });
  });

  it('numbers two publish targets on one registry and keeps their pushes and indexes apart', () => {
    const p = plan(
      localConfig({
        web: {
          args: {},
          publish: [
            { registry: 'local', repository: 'team/web' },
            { registry: 'local', repository: 'other/web', format: 'docker' },
          ],
        },
      }),
    );
    expect(ids(p, 'index').filter((id) => id.startsWith('index:web'))).toEqual(['index:web:v1->local#1', 'index:web:v1->local#2']);
    expect(node(p, 'push', 'push:web@linux/arm64->local#2')).toMatchObject({ format: 'docker', refs: [{ repository: 'other/web', tag: 'v1-linux-arm64' }] });
    expect(node(p, 'index', 'index:web:v1->local#2').deps).toEqual(THREE.map((pl) => `push:web@${pl}->local#2`));
  });
});

describe('createPlan: pushes and indexes', () => {
  it('writes each platform image under every tag and an index per tag that waits for every platform push', () => {
    const p = plan(localConfig({ web: { tags: ['v1', 'latest'] } }));
    const push = node(p, 'push', 'push:web@linux/arm/v7->local');
    expect(push).toMatchObject({
      target: local,
      format: 'oci',
      platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
      refs: [
        { repository: 'team/web', tag: 'v1-linux-arm-v7' },
        { repository: 'team/web', tag: 'latest-linux-arm-v7' },
      ],
      digestRepositories: [],
    });
    const index = node(p, 'index', 'index:web:latest->local');
    expect(index).toMatchObject({ tag: 'latest', repository: 'team/web', indexTag: 'latest', format: 'oci', target: local });
    expect(index.deps).toEqual(THREE.map((pl) => `push:web@${pl}->local`));
    expect(index.children).toEqual([
      { platform: { os: 'linux', architecture: 'amd64' }, push: 'push:web@linux/amd64->local' },
      { platform: { os: 'linux', architecture: 'arm64' }, push: 'push:web@linux/arm64->local' },
      { platform: { os: 'linux', architecture: 'arm', variant: 'v7' }, push: 'push:web@linux/arm/v7->local' },
    ]);
    expect(ids(p, 'index').filter((id) => id.startsWith('index:web'))).toEqual(['index:web:v1->local', 'index:web:latest->local']);
  });

  it('Docker Hub style (one repository per arch, index elsewhere): pushes also put the manifest into the index repository', () => {
    const p = plan({
      registries: { hub: { url: 'docker.io' } },
      images: {
        web: {
          context: './web',
          platforms: ['linux/amd64', 'linux/arm64'],
          tags: ['v1'],
          publish: [{ registry: 'hub', repository: 'org/multi-arch', platformRepository: 'org/web-{arch}', platformTag: '{tag}' }],
        },
      },
    });
    const push = node(p, 'push', 'push:web@linux/arm64->hub');
    expect(push.refs).toEqual([{ repository: 'org/web-arm64', tag: 'v1' }]);
    expect(push.digestRepositories).toEqual(['org/multi-arch']);
    expect(push.target).toEqual({
      name: 'hub',
      host: 'docker.io',
      apiHost: 'registry-1.docker.io',
      authKey: 'https://index.docker.io/v1/',
      scheme: 'https',
      isDockerHub: true,
    });
    expect(node(p, 'index', 'index:web:v1->hub')).toMatchObject({ repository: 'org/multi-arch', indexTag: 'v1' });
  });

  it('ECR style (one repository, platform tags): nothing extra to copy by digest', () => {
    const p = plan({
      registries: { ecr: { url: '123456789012.dkr.ecr.eu-west-1.amazonaws.com' } },
      images: {
        web: {
          context: './web',
          platforms: ['linux/amd64', 'linux/arm64'],
          tags: ['v1'],
          publish: [{ registry: 'ecr', repository: 'web', platformTag: '{tag}-{arch}', indexTag: 'multi-{tag}', format: 'docker' }],
        },
      },
    });
    expect(node(p, 'push', 'push:web@linux/amd64->ecr')).toMatchObject({ refs: [{ repository: 'web', tag: 'v1-amd64' }], digestRepositories: [], format: 'docker' });
    expect(node(p, 'index', 'index:web:v1->ecr')).toMatchObject({ repository: 'web', indexTag: 'multi-v1', tag: 'v1', format: 'docker' });
  });
});

describe('createPlan: facts', () => {
  it('marks how each platform runs: native, emulated (binfmt handler) or no emulator', () => {
    const p = plan(localConfig(), builderFacts);
    expect(node(p, 'build', 'build:base@linux/amd64').runs).toBe('native');
    expect(node(p, 'build', 'build:base@linux/arm64').runs).toBe('emulated');
    expect(node(p, 'build', 'build:base@linux/arm/v7').runs).toBe('no-emulator');
    expect(node(p, 'test', 'test:base@linux/arm64').runs).toBe('emulated');
    expect(node(p, 'test', 'test:base@linux/arm/v7').runs).toBe('no-emulator');
  });

  it('treats 386 on an amd64 engine as native and an arm engine as native for arm64', () => {
    const p = plan(
      { images: { x: { context: '.', platforms: ['linux/386', 'linux/arm64', 'linux/amd64'], tags: ['v1'] } } },
      { builder: { kind: 'legacy', description: 'legacy', nativePlatform: 'linux/arm64', emulated: ['x86_64'] } },
    );
    expect(node(p, 'build', 'build:x@linux/arm64').runs).toBe('native');
    expect(node(p, 'build', 'build:x@linux/amd64').runs).toBe('emulated');
    expect(node(p, 'build', 'build:x@linux/386').runs).toBe('no-emulator');
    const q = plan({ images: { x: { context: '.', platforms: ['linux/386'], tags: ['v1'] } } }, builderFacts);
    expect(node(q, 'build', 'build:x@linux/386').runs).toBe('native');
  });

  it('leaves runs out when the builder was not detected', () => {
    const p = plan(localConfig());
    expect(node(p, 'build', 'build:base@linux/arm64')).not.toHaveProperty('runs');
    expect(node(p, 'test', 'test:base@linux/arm64')).not.toHaveProperty('runs');
  });

  it('labels images and annotates indexes from git; image labels are added and win', () => {
    const git = { source: 'https://github.com/org/repo', revision: 'abc123', created: '2024-01-01T00:00:00Z' };
    const p = plan(localConfig({ web: { labels: { team: 'web', 'org.opencontainers.image.source': 'https://example.com/web' } } }), { git });
    expect(node(p, 'build', 'build:base@linux/amd64').labels).toEqual({
      'org.opencontainers.image.source': 'https://github.com/org/repo',
      'org.opencontainers.image.revision': 'abc123',
      'org.opencontainers.image.created': '2024-01-01T00:00:00Z',
    });
    expect(node(p, 'build', 'build:web@linux/amd64').labels).toEqual({
      'org.opencontainers.image.source': 'https://example.com/web',
      'org.opencontainers.image.revision': 'abc123',
      'org.opencontainers.image.created': '2024-01-01T00:00:00Z',
      team: 'web',
    });
    expect(node(p, 'index', 'index:base:v1->local').annotations).toEqual(node(p, 'build', 'build:base@linux/amd64').labels);
    expect(p.facts).toEqual({ git });
  });

  it('sets only the git facts that are known', () => {
    const p = plan(localConfig(), { git: { revision: 'abc123' } });
    expect(node(p, 'index', 'index:web:v1->local').annotations).toEqual({ 'org.opencontainers.image.revision': 'abc123' });
    expect(node(plan(localConfig()), 'index', 'index:web:v1->local').annotations).toEqual({});
  });
});

describe('createPlan: order', () => {
  it('puts every node after its dependencies', () => {
    const p = plan(localConfig({ web: { tags: ['v1', 'latest'], test: { command: ['true'] } } }), builderFacts);
    expect(new Set(p.order).size).toBe(p.order.length);
    expect([...p.order].sort()).toEqual(Object.keys(p.nodes).sort());
    const position = new Map(p.order.map((id, i) => [id, i]));
    for (const id of p.order) {
      for (const dep of p.nodes[id]!.deps) {
        expect(position.has(dep), `${id} depends on ${dep}, which is not in the plan`).toBe(true);
        expect(position.get(dep)!, `${dep} before ${id}`).toBeLessThan(position.get(id)!);
      }
    }
  });

  it('is the same for the same input', () => {
    expect(plan(localConfig(), builderFacts).order).toEqual(plan(localConfig(), builderFacts).order);
  });
});
