/** Which build contexts would include a directory: those it is inside of, unless their ignore file excludes it. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempTree } from '../temp-tree.js';
import { contextsHolding } from '../../../src/inputs/contexts-holding.js';
import type { Plan } from '../../../src/plan/nodes.js';

const repo = (files: Record<string, string>) => tempTree(files, 'shard-ctx-');

/** A plan with just these build nodes (all contextsHolding reads of it). */
function buildsOf(builds: ReadonlyArray<{ image: string; context: string; dockerfile: string }>): Plan {
  const nodes = Object.fromEntries(builds.map((b) => [`build:${b.image}`, { id: `build:${b.image}`, kind: 'build', deps: [], ...b }]));
  return { nodes } as unknown as Plan;
}

const names = async (root: string, shard: string, builder: 'buildkit' | 'legacy' = 'buildkit') =>
  (
    await contextsHolding(path.join(root, shard), buildsOf([
      { image: 'app', context: root, dockerfile: path.join(root, 'Dockerfile') },
      { image: 'sub', context: path.join(root, 'sub'), dockerfile: path.join(root, 'sub/Dockerfile') },
    ]), { kind: builder, version: '28.2.2' })
  ).map((c) => c.image);

describe('contextsHolding', () => {
  it('names each context the shard is inside of, unless its ignore file excludes the shard', async () => {
    const root = repo({ Dockerfile: 'FROM x\n', 'sub/Dockerfile': 'FROM x\n' });
    expect(await names(root, 'shard-linux-arm64')).toEqual(['app']);
    expect(await names(root, 'sub/out/shard')).toEqual(['app', 'sub']);
    expect(await names(root, 'sub')).toEqual(['app', 'sub']);
    expect(await names(root, '../elsewhere')).toEqual([]);
    writeFileSync(path.join(root, '.dockerignore'), 'shard-*\nsub/out\n');
    expect(await names(root, 'shard-linux-arm64')).toEqual([]);
    expect(await names(root, 'sub/out/shard')).toEqual(['sub']);
  });

  it('applies the ignore file the builder applies: BuildKit reads <Dockerfile>.dockerignore first, legacy never', async () => {
    const root = repo({ Dockerfile: 'FROM x\n', 'Dockerfile.dockerignore': 'shards\n', 'sub/Dockerfile': 'FROM x\n' });
    expect(await names(root, 'shards/a')).toEqual([]);
    expect(await names(root, 'shards/a', 'legacy')).toEqual(['app']);
  });
});
