import { describe, expect, it } from 'vitest';
import { createEnginePool, publishAddress } from '../../../src/docker/engine-pool.js';
import { endpointEnv, engineProblem, isLocalHost, parseServerVersion } from '../../../src/docker/endpoint.js';
import { isMultiarchError } from '../../../src/errors/multiarch-error.js';

describe('endpointEnv', () => {
  it('points docker at a host or a context, clearing the other', () => {
    expect(endpointEnv({ host: 'ssh://ec2-user@graviton' })).toEqual({ DOCKER_HOST: 'ssh://ec2-user@graviton', DOCKER_CONTEXT: undefined });
    expect(endpointEnv({ context: 'amd-builder' })).toEqual({ DOCKER_CONTEXT: 'amd-builder', DOCKER_HOST: undefined });
    expect(endpointEnv({})).toEqual({});
  });
});

describe('engine answers', () => {
  it('parses docker version output, or says it did not answer', () => {
    expect(parseServerVersion('27.1.1|linux/arm64\n')).toEqual({ version: '27.1.1', platform: 'linux/arm64' });
    expect(parseServerVersion('|/\n')).toBeUndefined();
    expect(parseServerVersion('')).toBeUndefined();
  });

  it('picks the telling line of docker’s complaint', () => {
    const stderr = 'Cannot connect to the Docker daemon at unix:///nope.sock. Is the docker daemon running?\n';
    expect(engineProblem(stderr, false, 20_000)).toBe('Cannot connect to the Docker daemon at unix:///nope.sock. Is the docker daemon running?');
    expect(engineProblem('error: context "pi" does not exist\n', false, 20_000)).toBe('context "pi" does not exist');
    expect(engineProblem('', true, 20_000)).toBe('no answer within 20s');
    expect(engineProblem('', false, 20_000)).toBe('the engine did not answer');
  });

  it('knows which engines share this machine', () => {
    expect(isLocalHost(undefined)).toBe(true);
    expect(isLocalHost('unix:///run/other.sock')).toBe(true);
    expect(isLocalHost('ssh://b')).toBe(false);
    expect(publishAddress('unix:///run/other.sock')).toEqual({ bind: '127.0.0.1', connect: '127.0.0.1' });
    expect(publishAddress('ssh://ec2-user@graviton:22')).toEqual({ bind: '0.0.0.0', connect: 'graviton' });
    expect(publishAddress('tcp://[fd00::5]:2376')).toEqual({ bind: '0.0.0.0', connect: 'fd00::5' });
  });
});

describe('createEnginePool', () => {
  const choice = { kind: 'buildkit' as const, client: { binary: '/usr/bin/docker', version: '20.10.24' } };
  const builders = {
    default: { name: 'default', docker: {} },
    'linux/arm64': { name: 'linux/arm64', docker: { host: 'ssh://ec2-user@graviton' } },
  };

  it('gives each builder a client pointed at its engine, made once', () => {
    const pool = createEnginePool(choice, builders, {});
    expect(pool.get('linux/arm64').docker.env).toEqual({ DOCKER_HOST: 'ssh://ec2-user@graviton', DOCKER_CONTEXT: undefined });
    expect(pool.get('linux/arm64').builder.description).toContain('on builder "linux/arm64" (ssh://ec2-user@graviton)');
    expect(pool.get('default').docker.env).toEqual({});
    expect(pool.get('default')).toBe(pool.get('default'));
  });

  it('fails what is asked of an unreachable builder, naming it, where it is and why', () => {
    const pool = createEnginePool(choice, builders, { 'linux/arm64': { reachable: false, problem: 'ssh: connect to host graviton port 22: Connection refused' } });
    let error: unknown;
    try {
      pool.get('linux/arm64');
    } catch (e) {
      error = e;
    }
    expect(isMultiarchError(error) && error.code).toBe('E_BUILDER_UNREACHABLE');
    expect((error as Error).message).toBe('builder "linux/arm64" (ssh://ec2-user@graviton) is unreachable: ssh: connect to host graviton port 22: Connection refused');
    expect((error as { hint: string }).hint).toContain('ssh must log in without a prompt');
  });
});
