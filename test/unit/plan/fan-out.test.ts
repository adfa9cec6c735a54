import { describe, expect, it } from 'vitest';
import { ref } from '../../../src/config/ref.js';
import { toPlanJson } from '../../../src/ui/plan/plan-json.js';
import { formatPlanText } from '../../../src/ui/plan/plan-text.js';
import { ids, node, plan } from './fixtures.js';

const web = (publish: unknown[], extra: Record<string, unknown> = {}) => ({
  registries: {
    layout: { url: 'oci:./out/oci' },
    local: { url: '127.0.0.1:5000', insecure: true },
    private: { url: '127.0.0.1:5001', insecure: true },
    mirror: { url: '127.0.0.1:5001', insecure: true },
  },
  images: { web: { context: './web', platforms: ['linux/amd64', 'linux/arm64'], tags: ['v1'], publish, ...extra } },
});

describe('createPlan: fan-out to several targets', () => {
  it('exports to the first target only; the others copy from it after it', () => {
    const p = plan(web([{ registry: 'local', repository: 'team/web' }, { registry: 'private', repository: 'team/web' }]));
    expect(ids(p, 'build')).toHaveLength(2);
    expect(node(p, 'push', 'push:web@linux/arm64->local')).not.toHaveProperty('copyFrom');
    expect(node(p, 'push', 'push:web@linux/arm64->private')).toMatchObject({
      copyFrom: 'push:web@linux/arm64->local',
      deps: ['push:web@linux/arm64->local'],
    });
    // Each target still gets its own index, over its own children.
    expect(node(p, 'index', 'index:web:v1->private').deps).toEqual(['push:web@linux/amd64->private', 'push:web@linux/arm64->private']);
  });

  it('copies from an earlier target on the same registry when there is one (a mount), else from the first', () => {
    const p = plan(
      web([
        { registry: 'local', repository: 'team/web' },
        { registry: 'private', repository: 'team/web' },
        { registry: 'mirror', repository: 'mirror/web' },
      ]),
    );
    expect(node(p, 'push', 'push:web@linux/amd64->mirror').copyFrom).toBe('push:web@linux/amd64->private');
    expect(node(p, 'push', 'push:web@linux/amd64->private').copyFrom).toBe('push:web@linux/amd64->local');
  });

  it('copies only between targets of one manifest format; another format starts from the (one) export', () => {
    const p = plan(
      web([
        { registry: 'local', repository: 'team/web', format: 'docker' },
        { registry: 'private', repository: 'team/web' },
        { registry: 'mirror', repository: 'mirror/web' },
      ]),
    );
    expect(node(p, 'push', 'push:web@linux/amd64->private')).not.toHaveProperty('copyFrom');
    expect(node(p, 'push', 'push:web@linux/amd64->mirror').copyFrom).toBe('push:web@linux/amd64->private');
  });

  it('shows the copy in plan text and JSON', () => {
    const p = plan(web([{ registry: 'layout', repository: 'team/web' }, { registry: 'local', repository: 'team/web' }]));
    expect(formatPlanText(p, { color: false, width: 200 })).toContain('copied from web@linux/amd64->layout (same manifest and blobs, no export)');
    const pushes = toPlanJson(p).images[0]!.nodes.filter((n) => n.kind === 'push');
    expect(pushes.map((n) => (n.kind === 'push' ? n.copyFrom : undefined))).toEqual([null, null, 'push:web@linux/amd64->layout', 'push:web@linux/arm64->layout']);
  });
});

describe('createPlan: OCI layout targets', () => {
  it('resolves the directory against the config file and names refs as skopeo does', () => {
    const p = plan(web([{ registry: 'layout', repository: 'team/web' }]));
    const push = node(p, 'push', 'push:web@linux/amd64->layout');
    expect(push.target).toMatchObject({ name: 'layout', host: 'oci:/abs/dir/out/oci', layout: '/abs/dir/out/oci' });
    expect(toPlanJson(p).refs.map((r) => r.ref)).toEqual([
      'oci:/abs/dir/out/oci:team/web:v1-linux-amd64',
      'oci:/abs/dir/out/oci:team/web:v1-linux-arm64',
      'oci:/abs/dir/out/oci:team/web:v1',
    ]);
  });

  it('builds ref() args from the base’s registry target, never from a layout', () => {
    const input = web([{ registry: 'layout', repository: 'team/web' }]) as { images: Record<string, unknown> };
    input.images.app = {
      context: './app',
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: ['v1'],
      args: { BASE: ref('web') },
      publish: [{ registry: 'local', repository: 'team/app' }],
    };
    (input.images.web as { publish: unknown[] }).publish.push({ registry: 'local', repository: 'team/web' });
    const build = node(plan(input), 'build', 'build:app@linux/arm64');
    expect(build.args.BASE).toEqual({ ref: { image: 'web', node: 'push:web@linux/arm64->local', repository: '127.0.0.1:5000/team/web' } });
  });

  it('carries an ECR login setting to the target', () => {
    const input = web([{ registry: 'ecr', repository: 'web' }]) as { registries: Record<string, unknown> };
    input.registries.ecr = { url: '123456789012.dkr.ecr.us-west-2.amazonaws.com', auth: { ecr: { region: 'us-west-2', profile: 'ci' } } };
    expect(node(plan(input), 'push', 'push:web@linux/amd64->ecr').target.ecr).toEqual({ region: 'us-west-2', profile: 'ci' });
  });
});
