import { describe, expect, it } from 'vitest';
import { toBuildCommand } from '../../../src/docker/build-command.js';
import { createBuildLogScan } from '../../../src/docker/build-log.js';
import { cacheFlags } from '../../../src/docker/cache-flags.js';

const cache = {
  from: [
    { type: 'registry' as const, ref: '127.0.0.1:5000/team/web@sha256:abc', automatic: true as const },
    { type: 'local' as const, dir: '/c' },
    { type: 'gha' as const, scope: 'web-linux-arm64' },
  ],
  to: [{ type: 'inline' as const }, { type: 'registry' as const, ref: 'ghcr.io/o/c:web', mode: 'max' as const }, { type: 'local' as const, dir: '/c' }],
};

describe('cache flags', () => {
  it('classic BuildKit: inline cache in, inline cache out', () => {
    expect(cacheFlags({ from: cache.from.slice(0, 1), to: [{ type: 'inline' }] }, 'buildkit')).toEqual([
      '--build-arg', 'BUILDKIT_INLINE_CACHE=1', '--cache-from', '127.0.0.1:5000/team/web@sha256:abc',
    ]);
    const command = toBuildCommand(
      { context: '/ctx', dockerfile: '/ctx/Dockerfile', platform: { os: 'linux', architecture: 'arm64' }, args: {}, labels: {}, tag: 't', cache: { from: [], to: [{ type: 'inline' }] } },
      { kind: 'buildkit', iidFile: '/tmp/iid' },
    );
    expect(command.args.slice(-3)).toEqual(['--build-arg', 'BUILDKIT_INLINE_CACHE=1', '/ctx']);
  });

  it('buildx: typed --cache-from/--cache-to; the legacy builder and cache: false get none', () => {
    expect(cacheFlags(cache, 'buildx')).toEqual([
      '--cache-from', 'type=registry,ref=127.0.0.1:5000/team/web@sha256:abc',
      '--cache-from', 'type=local,src=/c',
      '--cache-from', 'type=gha,scope=web-linux-arm64',
      '--cache-to', 'type=inline',
      '--cache-to', 'type=registry,ref=ghcr.io/o/c:web,mode=max,image-manifest=true,oci-mediatypes=true',
      '--cache-to', 'type=local,dest=/c',
    ]);
    expect(cacheFlags(cache, 'legacy')).toEqual([]);
    expect(cacheFlags({ from: [], to: [] }, 'buildkit')).toEqual([]);
    expect(cacheFlags(undefined, 'buildx')).toEqual([]);
  });
});

describe('build log: steps from cache and cache sources not read', () => {
  it('counts cached steps and turns a cache import error into a problem, not the failure', () => {
    const scan = createBuildLogScan();
    for (const line of [
      '#4 [1/3] FROM 127.0.0.1:5000/hermetic/busybox:latest@sha256:6d12',
      '#8 importing cache manifest from 127.0.0.1:5001/x:nope',
      '#8 ERROR: pulling from host 127.0.0.1:5001 failed with status code [manifests nope]: 401 Unauthorized',
      '#5 [2/3] RUN echo slow',
      '#5 CACHED',
      '#7 [3/3] COPY file.txt /file.txt',
      '#7 DONE 0.1s',
    ]) scan.push(line);
    expect(scan.stepCounts()).toEqual({ total: 2, cached: 1 });
    expect(scan.cacheProblems()).toEqual(['127.0.0.1:5001/x:nope: pulling from host 127.0.0.1:5001 failed with status code [manifests nope]: 401 Unauthorized']);
    expect(scan.failure()).toBeUndefined();
    expect(scan.fullyCached()).toBe(false);
  });
});
