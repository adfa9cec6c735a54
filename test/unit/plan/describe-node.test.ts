import { describe, expect, it } from 'vitest';
import { describeNode, nodeRefs } from '../../../src/plan/describe-node.js';
import { localConfig, plan } from './fixtures.js';

describe('describeNode and nodeRefs', () => {
  const p = plan(localConfig({ web: { tags: ['v1', 'latest'] } }));
  const n = (id: string) => p.nodes[id]!;

  it('names each kind of node for people', () => {
    expect(describeNode(n('build:web@linux/arm/v7'))).toBe('web linux/arm/v7 build');
    expect(describeNode(n('test:base@linux/arm64'))).toBe('base linux/arm64 test');
    expect(describeNode(n('push:web@linux/amd64->local'))).toBe('web linux/amd64 push → local');
    expect(describeNode(n('index:web:latest->local'))).toBe('web:latest index → local');
  });

  it('lists the fully qualified refs a push or index writes, nothing for builds and tests', () => {
    expect(nodeRefs(n('push:web@linux/arm64->local'))).toEqual(['127.0.0.1:5000/team/web:v1-linux-arm64', '127.0.0.1:5000/team/web:latest-linux-arm64']);
    expect(nodeRefs(n('index:web:latest->local'))).toEqual(['127.0.0.1:5000/team/web:latest']);
    expect(nodeRefs(n('build:web@linux/arm64'))).toEqual([]);
    expect(nodeRefs(n('test:base@linux/arm64'))).toEqual([]);
  });
});
