import { describe, expect, it } from 'vitest';
import { builderFor, dockerHostProblem } from '../../../src/config/builders.js';
import { parsePlatform, type Platform } from '../../../src/config/platform.js';
import { config, image, issuesOf, resolve } from './fixtures.js';

const withBuilders = (builders: Record<string, unknown>) => config({ web: image() }, { builders });
const platform = (p: string): Platform => {
  const parsed = parsePlatform(p);
  if (!parsed.ok) throw new Error(p);
  return parsed.platform;
};

describe('builders: validation', () => {
  it('resolves platform keys (aliases too) and default, keeping host, context and concurrency', () => {
    const { builders } = resolve(
      withBuilders({
        arm64: { docker: { host: 'ssh://ec2-user@graviton-builder' }, concurrency: 2 },
        'linux/amd64': { docker: { context: 'amd-builder' } },
        default: { docker: {} },
      }),
    );
    expect(builders.platforms).toEqual({
      'linux/arm64': { name: 'linux/arm64', docker: { host: 'ssh://ec2-user@graviton-builder' }, concurrency: 2 },
      'linux/amd64': { name: 'linux/amd64', docker: { context: 'amd-builder' } },
    });
    expect(builders.default).toEqual({ name: 'default', docker: {} });
  });

  it('routes each platform to its builder, the rest to default (the ambient engine without one)', () => {
    const { builders } = resolve(withBuilders({ 'linux/arm64': { docker: { host: 'tcp://10.0.0.5:2376' } } }));
    expect(builderFor(builders, platform('linux/arm64')).name).toBe('linux/arm64');
    expect(builderFor(builders, platform('linux/amd64'))).toEqual({ name: 'default', docker: {} });
    expect(resolve(config({ web: image() })).builders).toEqual({ default: { name: 'default', docker: {} }, platforms: {} });
  });

  it('rejects unknown platform keys with a suggestion, and two keys for one platform', () => {
    expect(issuesOf(withBuilders({ 'linux/arm65': { docker: {} }, aarch64: { docker: {} }, 'linux/arm64': { docker: {} } }))).toEqual([
      {
        path: ['builders', 'linux/arm65'],
        message: 'builders: "linux/arm65" is not a platform — did you mean "linux/arm64"?',
        hint: 'keys are platforms such as "linux/arm64", or "default" for every other platform',
      },
      { path: ['builders', 'linux/arm64'], message: 'builders: "linux/arm64" is the same platform as "aarch64" (linux/arm64)', hint: 'give each platform one builder' },
    ]);
  });

  it('rejects bad host URLs, saying how to write them', () => {
    const issues = issuesOf(
      withBuilders({
        'linux/arm64': { docker: { host: 'graviton-builder' } },
        'linux/amd64': { docker: { host: 'https://builder.example.com' } },
        'linux/arm/v7': { docker: { host: 'unix://var/run/docker.sock' } },
        'linux/386': { docker: { host: 'tcp://builder.example.com' } },
        'linux/s390x': { docker: { host: 'ftp://x' } },
      }),
    );
    expect(issues.map((i) => [i.path.join('.'), i.message, i.hint])).toEqual([
      ['builders.linux/arm64.docker.host', '"graviton-builder" is not a Docker host URL', 'write it with a scheme, e.g. ssh://user@graviton-builder or tcp://graviton-builder:2376'],
      ['builders.linux/amd64.docker.host', '"https://builder.example.com": Docker hosts are not https:// URLs', 'use tcp://host:port (TLS through a docker context), or ssh://user@host, tcp://host:2376 or unix:///var/run/docker.sock'],
      ['builders.linux/arm/v7.docker.host', '"unix://var/run/docker.sock": a unix socket needs an absolute path', 'e.g. unix:///var/run/docker.sock'],
      ['builders.linux/386.docker.host', '"tcp://builder.example.com" names no port', 'e.g. tcp://builder.example.com:2376 (TLS) or :2375'],
      ['builders.linux/s390x.docker.host', '"ftp://x": unsupported scheme ftp://', 'use ssh://user@host, tcp://host:2376 or unix:///var/run/docker.sock'],
    ]);
  });

  it('accepts the host forms the docker CLI does', () => {
    for (const host of ['ssh://ec2-user@graviton-builder', 'ssh://builder:2222', 'tcp://10.0.0.5:2376', 'tcp://[::1]:2375', 'unix:///var/run/docker.sock']) {
      expect(dockerHostProblem(host), host).toBeUndefined();
    }
    expect(dockerHostProblem('ec2-user@graviton')?.hint).toBe('write it with a scheme, e.g. ssh://ec2-user@graviton');
    expect(dockerHostProblem('ssh://ec2-user@graviton/path')?.message).toBe('"ssh://ec2-user@graviton/path": a ssh:// Docker host has no path');
  });

  it('rejects host and context together, unknown keys, and a concurrency below 1', () => {
    const issues = issuesOf(
      withBuilders({
        'linux/arm64': { docker: { host: 'ssh://b', context: 'b' } },
        'linux/amd64': { docker: { hots: 'ssh://b' } },
        default: { docker: {}, concurrency: 0 },
      }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: ['builders', 'linux/amd64', 'docker', 'hots'], message: 'unknown key "hots" — did you mean "host"?' }),
        expect.objectContaining({ path: ['builders', 'default', 'concurrency'], message: 'concurrency must be at least 1' }),
      ]),
    );
    // Shape errors come first; the host/context rule runs once the shape is right.
    expect(issuesOf(withBuilders({ 'linux/arm64': { docker: { host: 'ssh://b', context: 'b' } } }))).toEqual([
      { path: ['builders', 'linux/arm64', 'docker'], message: 'set host or context, not both', hint: 'a docker context already names its host; keep one of the two' },
    ]);
  });
});

describe('prepare: validation', () => {
  const prepare = async () => {};

  it('takes a function, or one with output globs, and fingerprints its source', () => {
    const a = resolve(config({ web: image({ prepare }) })).images.web!.prepare!;
    expect(a.run).toBe(prepare);
    expect(a.outputs).toEqual([]);
    expect(a.source.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(a.source.description).toBe('async () => {}');
    const b = resolve(config({ web: image({ prepare: { run: prepare, outputs: ['dist/**'] } }) })).images.web!.prepare!;
    expect(b).toMatchObject({ run: prepare, outputs: ['dist/**'], source: a.source });
    const other = resolve(config({ web: image({ prepare: async () => { await Promise.resolve(); } }) })).images.web!.prepare!;
    expect(other.source.hash).not.toBe(a.source.hash);
  });

  it('rejects what is not a function', () => {
    expect(issuesOf(config({ web: image({ prepare: 'make' }) }))).toEqual([
      { path: ['images', 'web', 'prepare'], message: 'expected a function of { $, platform }, or { run: that function, outputs: ["dist/**"] }' },
    ]);
    expect(issuesOf(config({ web: image({ prepare: { run: prepare, output: [] } }) }))).toEqual([
      { path: ['images', 'web', 'prepare', 'output'], message: 'unknown key "output" — did you mean "outputs"?', hint: 'allowed here: run, outputs' },
    ]);
  });
});
