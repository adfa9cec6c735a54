/** `multiarch graph`: the plan as Graphviz dot and as Mermaid, ref() edges marked. */
import { describe, expect, it } from 'vitest';
import { formatGraphDot } from '../../../src/ui/plan/graph-dot.js';
import { formatGraphMermaid } from '../../../src/ui/plan/graph-mermaid.js';
import { createGraphModel } from '../../../src/ui/plan/graph-model.js';
import { DOCKERFILE, lines, writeProject } from '../config/fixtures.js';
import { cli, expectGolden } from '../golden.js';
import { localConfig, plan } from '../plan/fixtures.js';

const twoPlatforms = () => {
  const config = localConfig();
  for (const image of Object.values(config.images)) image.platforms = ['linux/amd64', 'linux/arm64'];
  return plan(config);
};

describe('graph model', () => {
  it('has a cluster per image in dependency order, nodes labelled as in the plan, ref() edges with their arg', () => {
    const model = createGraphModel(twoPlatforms());
    expect(model.clusters.map((c) => c.image)).toEqual(['base', 'web']);
    expect(model.clusters[0]!.nodes.find((n) => n.kind === 'push')?.lines).toEqual([
      'base linux/amd64 push → local',
      '127.0.0.1:5000/team/base:v1-linux-amd64',
    ]);
    expect(model.edges.filter((e) => e.refArg)).toEqual([
      { from: 'push:base@linux/amd64->local', to: 'build:web@linux/amd64', refArg: 'BASE' },
      { from: 'push:base@linux/arm64->local', to: 'build:web@linux/arm64', refArg: 'BASE' },
    ]);
    expect(model.edges).toContainEqual({ from: 'build:base@linux/amd64', to: 'test:base@linux/amd64' });
  });
});

describe('graph printers', () => {
  it('prints Graphviz dot', () => {
    expectGolden('graph/base-and-web.dot', formatGraphDot(twoPlatforms()));
  });

  it('prints a Mermaid flowchart', () => {
    expectGolden('graph/base-and-web.mmd', formatGraphMermaid(twoPlatforms()));
  });

  it('runs as `multiarch graph` on a config, with selectors, without an engine', async () => {
    const dir = writeProject({
      'multiarch.config.ts': lines(
        "import { defineConfig } from 'multiarch';",
        "export default defineConfig({ images: { web: { context: './web', platforms: ['linux/amd64', 'linux/arm64'], tags: ['v1'] } } });",
      ),
      'web/Dockerfile': DOCKERFILE,
    });
    const mermaid = await cli(dir, 'graph', '--platform', 'linux/arm64');
    expect(mermaid.code, mermaid.stderr).toBe(0);
    expect(mermaid.stdout).toBe(['flowchart LR', '  subgraph image0["web"]', '    n0("web linux/arm64 build")', '  end', ''].join('\n'));
    const dot = await cli(dir, 'graph', '--format', 'dot');
    expect(dot.stdout).toContain('"build:web@linux/arm64" [label="web linux/arm64 build", shape=box, style=rounded];');
    const bad = await cli(dir, 'graph', '--format', 'svg');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('multiarch graph: --format is dot or mermaid, not "svg"');
  });
});
