import { describe, expect, it } from 'vitest';
import { buildxHasAttestations, chooseBuilder, describeChoice, majorVersion, type ClientProbe } from '../../../src/docker/choose-builder.js';

const modern: ClientProbe = { binary: '/usr/bin/docker', version: '28.2.2', buildx: 'v0.24.0' };
const modernNoBuildx: ClientProbe = { binary: '/usr/bin/docker', version: '26.1.5' };
const old: ClientProbe = { binary: '/usr/local/bin/docker', version: '20.10.24' };
const oldBuildx: ClientProbe = { binary: '/opt/docker', version: '20.10.24', buildx: 'v0.9.1' };

describe('chooseBuilder', () => {
  it('prefers buildx, from whichever client has it', () => {
    expect(chooseBuilder([old, modern])).toEqual({ ok: true, choice: { kind: 'buildx', client: modern } });
    expect(chooseBuilder([oldBuildx, modern])).toEqual({ ok: true, choice: { kind: 'buildx', client: oldBuildx } });
  });

  it('falls back to classic BuildKit on a client before 23', () => {
    expect(chooseBuilder([modernNoBuildx, old])).toEqual({ ok: true, choice: { kind: 'buildkit', client: old } });
  });

  it('falls back to the legacy builder when a client is 23 or newer without buildx', () => {
    expect(chooseBuilder([modernNoBuildx])).toEqual({ ok: true, choice: { kind: 'legacy', client: modernNoBuildx } });
    expect(chooseBuilder([{ binary: 'docker', version: '23.0.0' }])).toMatchObject({ ok: true, choice: { kind: 'legacy' } });
    expect(chooseBuilder([{ binary: 'docker', version: '22.06.0-beta' }])).toMatchObject({ ok: true, choice: { kind: 'buildkit' } });
  });

  it('says how to install Docker when there is no client', () => {
    expect(chooseBuilder([])).toEqual({
      ok: false,
      message: 'no docker client found on PATH',
      hint: 'install Docker (Debian: apt-get install docker.io) or set MULTIARCH_DOCKER to the docker binary',
    });
    expect(chooseBuilder([], 'legacy')).toMatchObject({ ok: false, message: 'no docker client found on PATH' });
  });

  it('obeys MULTIARCH_BUILDER when a client offers that kind', () => {
    expect(chooseBuilder([modern, old], 'legacy')).toEqual({ ok: true, choice: { kind: 'legacy', client: modern } });
    expect(chooseBuilder([modern, old], 'buildkit')).toEqual({ ok: true, choice: { kind: 'buildkit', client: old } });
    expect(chooseBuilder([old, modern], 'buildx')).toEqual({ ok: true, choice: { kind: 'buildx', client: modern } });
  });

  it('rejects a forced kind that does not exist', () => {
    expect(chooseBuilder([modern], 'kaniko')).toEqual({ ok: false, message: 'MULTIARCH_BUILDER=kaniko is not a builder', hint: 'use buildx, buildkit or legacy' });
  });

  it('rejects a forced kind no client offers, listing the clients found', () => {
    expect(chooseBuilder([modernNoBuildx, old], 'buildx')).toEqual({
      ok: false,
      message: 'MULTIARCH_BUILDER=buildx, but no docker client offers it',
      hint: 'clients found: /usr/bin/docker 26.1.5, /usr/local/bin/docker 20.10.24',
    });
    expect(chooseBuilder([modern], 'buildkit')).toMatchObject({ ok: false, message: 'MULTIARCH_BUILDER=buildkit, but no docker client offers it' });
  });

  it('ignores an empty MULTIARCH_BUILDER', () => {
    expect(chooseBuilder([modern], '')).toMatchObject({ ok: true, choice: { kind: 'buildx' } });
  });
});

describe('versions', () => {
  it('reads the major version of a client', () => {
    expect(majorVersion('28.2.2')).toBe(28);
    expect(majorVersion('20.10.24+dfsg1')).toBe(20);
    expect(majorVersion('')).toBeNaN();
  });

  it('knows which buildx has --provenance/--sbom (0.10 and later)', () => {
    expect(buildxHasAttestations('v0.9.1')).toBe(false);
    expect(buildxHasAttestations('0.9.10')).toBe(false);
    expect(buildxHasAttestations('v0.10.0')).toBe(true);
    expect(buildxHasAttestations('v0.10.5-docker')).toBe(true);
    expect(buildxHasAttestations('0.24.0+ds1')).toBe(true);
    expect(buildxHasAttestations('v1.0.0')).toBe(true);
    expect(buildxHasAttestations('unknown')).toBe(false);
  });
});

describe('describeChoice', () => {
  it('says which client and how it builds', () => {
    expect(describeChoice({ kind: 'buildx', client: modern })).toBe('docker 28.2.2 (/usr/bin/docker), buildx v0.24.0');
    expect(describeChoice({ kind: 'buildkit', client: old })).toBe('docker 20.10.24 (/usr/local/bin/docker), BuildKit via DOCKER_BUILDKIT=1');
    expect(describeChoice({ kind: 'legacy', client: modernNoBuildx })).toBe(
      'docker 26.1.5 (/usr/bin/docker), legacy builder (no BuildKit: builds run one at a time, with --pull)',
    );
  });
});
