import { describe, expect, it } from 'vitest';
import type { ResolvedConfig, ResolvedImage } from '../../../src/config/resolved.js';
import { buildEpoch, checkBuildPaths, chooseBuildPath } from '../../../src/plan/build-path.js';

const config = { file: '/c/multiarch.config.ts', registries: {}, images: {} } as unknown as ResolvedConfig;
const image = (extra: Partial<ResolvedImage> = {}): ResolvedImage =>
  ({ name: 'web', context: '/c', dockerfile: '/c/Dockerfile', platforms: [], args: {}, tags: ['v1'], labels: {}, publish: [], ...extra }) as ResolvedImage;

describe('build path', () => {
  it('auto: direct when the Dockerfile runs nothing, else the engine with the instruction that forced it', () => {
    expect(chooseBuildPath(image(), { direct: true })).toEqual({ path: 'direct' });
    expect(chooseBuildPath(image(), { direct: false, instruction: 'RUN', line: 4, why: 'runs a command' })).toEqual({ path: 'engine', reason: 'RUN (line 4) runs a command' });
    expect(chooseBuildPath(image({ engine: 'docker' }), { direct: true })).toEqual({ path: 'engine', reason: "build.engine is 'docker'" });
    expect(chooseBuildPath(image({ test: { timeoutSeconds: 1 } }), { direct: true })).toMatchObject({ path: 'engine', reason: 'its test runs the image on an engine' });
  });

  it("engine: 'direct' on a Dockerfile that needs an engine is one plan error naming every instruction and line", () => {
    const images = [image({ engine: 'direct' }), image({ name: 'api', engine: 'direct', dockerfile: '/a/Dockerfile' })];
    const facts = { web: { direct: false as const, instruction: 'RUN', line: 3, why: 'runs a command' }, api: { direct: false as const, instruction: 'ADD <url>', line: 2, why: 'downloads' } };
    try {
      checkBuildPaths(config, images, facts);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'E_CONFIG_INVALID', details: [expect.stringContaining('/c/Dockerfile:3: RUN runs a command'), expect.stringContaining('/a/Dockerfile:2: ADD <url> downloads')] });
    }
    expect(() => checkBuildPaths(config, [image({ engine: 'direct' })], { web: { direct: true } })).not.toThrow();
  });

  it('epoch: the commit time (or SOURCE_DATE_EPOCH) in seconds, else 0', () => {
    expect(buildEpoch('2024-01-02T03:04:05Z')).toBe(1704164645);
    expect(buildEpoch(undefined)).toBe(0);
  });
});
