import { describe, expect, it } from 'vitest';
import type { BuildSpec } from '../../../src/exec/ports/builder.js';
import { toBuildCommand } from '../../../src/docker/build-command.js';

const spec: BuildSpec = {
  context: '/abs/dir/web',
  dockerfile: '/abs/dir/web/Dockerfile',
  platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
  args: { BASE: '127.0.0.1:5000/team/base@sha256:abc', MODE: 'prod' },
  labels: { 'org.opencontainers.image.revision': 'abc123' },
  tag: 'multiarch/web:v1-linux-arm-v7',
};
const common = ['--platform', 'linux/arm/v7', '--iidfile', '/tmp/iid', '--tag', 'multiarch/web:v1-linux-arm-v7', '--file', '/abs/dir/web/Dockerfile'];

describe('toBuildCommand', () => {
  it('buildx: loads into the engine with plain progress, attestations off when the plugin knows the flags', () => {
    expect(toBuildCommand(spec, { kind: 'buildx', iidFile: '/tmp/iid', attestationFlags: true })).toEqual({
      args: [
        'buildx', 'build', '--load', '--progress=plain', '--provenance=false', '--sbom=false',
        ...common,
        '--build-arg', 'BASE=127.0.0.1:5000/team/base@sha256:abc',
        '--build-arg', 'MODE=prod',
        '--label', 'org.opencontainers.image.revision=abc123',
        '/abs/dir/web',
      ],
      env: {},
    });
  });

  it('buildx before 0.10: no attestation flags it would not understand', () => {
    const { args } = toBuildCommand(spec, { kind: 'buildx', iidFile: '/tmp/iid' });
    expect(args.slice(0, 4)).toEqual(['buildx', 'build', '--load', '--progress=plain']);
    expect(args.some((a) => a.startsWith('--provenance') || a.startsWith('--sbom'))).toBe(false);
    expect(toBuildCommand(spec, { kind: 'buildx', iidFile: '/tmp/iid', attestationFlags: false }).args).toEqual(args);
  });

  it('classic BuildKit: DOCKER_BUILDKIT=1, no --load, no attestation flags', () => {
    const { args, env } = toBuildCommand(spec, { kind: 'buildkit', iidFile: '/tmp/iid', attestationFlags: true });
    expect(env).toEqual({ DOCKER_BUILDKIT: '1' });
    expect(args.slice(0, 2 + common.length)).toEqual(['build', '--progress=plain', ...common]);
    expect(args).not.toContain('--load');
    expect(args).not.toContain('--provenance=false');
    expect(args.filter((a) => a.startsWith('TARGET'))).toEqual([]);
  });

  it('legacy: DOCKER_BUILDKIT=0, always --pull, and the TARGET* args BuildKit would set', () => {
    const { args, env } = toBuildCommand(spec, { kind: 'legacy', iidFile: '/tmp/iid' });
    expect(env).toEqual({ DOCKER_BUILDKIT: '0' });
    expect(args).toEqual([
      'build', '--pull',
      ...common,
      '--build-arg', 'TARGETPLATFORM=linux/arm/v7',
      '--build-arg', 'TARGETOS=linux',
      '--build-arg', 'TARGETARCH=arm',
      '--build-arg', 'TARGETVARIANT=v7',
      '--build-arg', 'BASE=127.0.0.1:5000/team/base@sha256:abc',
      '--build-arg', 'MODE=prod',
      '--label', 'org.opencontainers.image.revision=abc123',
      '/abs/dir/web',
    ]);
    expect(args).not.toContain('--progress=plain');
  });

  it('legacy: an empty TARGETVARIANT without a variant, and user args override the automatic ones', () => {
    const { args } = toBuildCommand(
      { ...spec, platform: { os: 'linux', architecture: 'arm64' }, args: { TARGETARCH: 'custom' } },
      { kind: 'legacy', iidFile: '/tmp/iid' },
    );
    const buildArgs = args.flatMap((a, i) => (args[i - 1] === '--build-arg' ? [a] : []));
    expect(buildArgs).toEqual(['TARGETPLATFORM=linux/arm64', 'TARGETOS=linux', 'TARGETARCH=custom', 'TARGETVARIANT=']);
  });

  it('passes the multi-stage target before the context, and nothing for no args or labels', () => {
    const { args } = toBuildCommand({ ...spec, args: {}, labels: {}, target: 'runtime' }, { kind: 'buildx', iidFile: '/tmp/iid' });
    expect(args.slice(-3)).toEqual(['--target', 'runtime', '/abs/dir/web']);
    expect(args).not.toContain('--build-arg');
    expect(args).not.toContain('--label');
  });

  it('keeps values with spaces and "=" as one argv entry each (no shell)', () => {
    const { args } = toBuildCommand({ ...spec, args: { FLAGS: '-O2 -g', EQ: 'a=b' }, labels: {} }, { kind: 'buildkit', iidFile: '/tmp/iid' });
    expect(args).toContain('FLAGS=-O2 -g');
    expect(args).toContain('EQ=a=b');
  });
});
