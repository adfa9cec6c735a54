/** `publish[].tags`: a target that gets only some of the image's tags (as bake files often do). */
import { describe, expect, it } from 'vitest';
import { nodeRefs } from '../../../src/plan/describe-node.js';
import { plan } from '../plan/fixtures.js';
import { config, image, issuesOf, resolve } from './fixtures.js';

const twoTargets = config(
  {
    web: image({
      tags: ['1.4.0', 'latest'],
      publish: [
        { registry: 'hub', repository: 'team/web' },
        { registry: 'hub', repository: 'team/web-mirror', tags: ['1.4.0'] },
      ],
    }),
  },
);

describe('publish[].tags', () => {
  it('defaults to every tag of the image', () => {
    const web = resolve(twoTargets).images.web!;
    expect(web.publish.map((p) => p.tags)).toEqual([['1.4.0', 'latest'], ['1.4.0']]);
  });

  it('limits the refs and indexes the target gets', () => {
    const refs = Object.values(plan(twoTargets).nodes).flatMap(nodeRefs).filter((r) => r.includes('mirror'));
    expect(refs.sort()).toEqual([
      'docker.io/team/web-mirror:1.4.0',
      'docker.io/team/web-mirror:1.4.0-linux-amd64',
      'docker.io/team/web-mirror:1.4.0-linux-arm64',
    ]);
  });

  it('must name tags of the image', () => {
    const bad = config({ web: image({ tags: ['v1'], publish: [{ registry: 'hub', repository: 'team/web', tags: ['v2'] }] }) });
    expect(issuesOf(bad)).toEqual([
      {
        path: ['images', 'web', 'publish', 0, 'tags', 0],
        message: '"v2" is not one of the image\'s tags (v1)',
        hint: "a publish target gets some of the image's tags: add it to the image's tags too, or remove it here",
      },
    ]);
    expect(issuesOf(config({ web: image({ publish: [{ registry: 'hub', repository: 'team/web', tags: [] }] }) }))[0]?.message).toBe(
      "list at least one of the image's tags, or leave tags out for all",
    );
  });
});
