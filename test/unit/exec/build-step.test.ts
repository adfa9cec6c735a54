/**
 * The engine build step with a stand-in engine: what it hands on for the export — the image's diff
 * ids, and the registry images it was built on (its recorded bases and a `ref()` base this run
 * pushed), whose reading starts with the build.
 */
import { describe, expect, it } from 'vitest';
import type { StepContext } from '../../../src/exec/execute.js';
import type { Engines } from '../../../src/exec/ports/engine.js';
import { runBuild, type BuildDeps } from '../../../src/exec/steps/build.js';
import type { BuiltImage, ImageBase, PushOutput } from '../../../src/exec/steps/step-outputs.js';
import type { BuildNode } from '../../../src/plan/nodes.js';
import { localConfig, node, plan } from '../plan/fixtures.js';

const d = (n: number) => `sha256:${String(n).repeat(64)}`;

describe('build step', () => {
  it("hands on the image's diff ids and the bases it was built on, read from the moment the build starts", async () => {
    const p = plan(localConfig());
    const planned = node(p, 'build', 'build:web@linux/arm64');
    // As apply plans it: the inputs recorded, with the bases they resolved.
    const web: BuildNode = {
      ...planned,
      action: { type: 'build', record: { detail: { platform: 'linux/arm64', builder: 'buildx', context: 'c', dockerfile: 'd', target: null, args: {}, labels: {}, bases: { 'docker.io/library/alpine:3 linux/arm64': d(7), 'local-only:1 linux/arm64': 'unknown' } } } },
    };
    const order: string[] = [];
    const read: Array<readonly ImageBase[]> = [];
    const engines = {
      get: () => ({
        build: async () => {
          order.push('build');
          return { imageId: d(1), diffIds: [d(2), d(3)] };
        },
      }),
    } as unknown as Engines;
    const deps = {
      engines,
      images: {
        add: () => undefined,
        readBases: (bases: readonly ImageBase[]) => {
          order.push('read bases');
          read.push(bases);
        },
      },
    } as unknown as BuildDeps;
    const pushedBase: PushOutput = {
      digest: d(4),
      size: 1,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      platform: web.platform,
      location: { target: { name: 'local', host: '127.0.0.1:5000', apiHost: '127.0.0.1:5000', authKey: '127.0.0.1:5000', scheme: 'http', isDockerHub: false }, repository: 'team/base' },
    };
    const ctx: StepContext = {
      signal: new AbortController().signal,
      outputOf: <T>() => pushedBase as T,
      progress: () => undefined,
      wrote: () => undefined,
      log: () => undefined,
    };
    const result = await runBuild(deps, web, ctx);
    const bases = [
      { ref: 'docker.io/library/alpine:3', platform: 'linux/arm64', digest: d(7) },
      { ref: `127.0.0.1:5000/team/base@${d(4)}`, platform: 'linux/arm64', digest: d(4) },
    ];
    expect(order).toEqual(['read bases', 'build']);
    expect(read).toEqual([bases]);
    expect(result.output as BuiltImage).toMatchObject({ imageId: d(1), diffIds: [d(2), d(3)], bases });
  });
});
