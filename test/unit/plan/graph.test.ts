import { describe, expect, it } from 'vitest';
import { closure, topologicalOrder } from '../../../src/config/graph-order.js';

const graph = (edges: Record<string, string[]>) => (id: string) => edges[id] ?? [];

describe('topologicalOrder', () => {
  it('puts every id after its deps, ties in insertion order', () => {
    const deps = graph({ c: ['a'], d: ['b', 'c'], b: ['a'] });
    expect(topologicalOrder(['d', 'c', 'b', 'a'], deps)).toEqual({ ok: true, order: ['a', 'c', 'b', 'd'] });
    expect(topologicalOrder(['a', 'b', 'c', 'd'], deps)).toEqual({ ok: true, order: ['a', 'b', 'c', 'd'] });
  });

  it('keeps independent ids in the order given', () => {
    expect(topologicalOrder(['z', 'y', 'x'], () => [])).toEqual({ ok: true, order: ['z', 'y', 'x'] });
    expect(topologicalOrder([], () => [])).toEqual({ ok: true, order: [] });
  });

  it('ignores deps that are not among the ids', () => {
    expect(topologicalOrder(['a', 'b'], graph({ a: ['outside'], b: ['a'] }))).toEqual({ ok: true, order: ['a', 'b'] });
  });

  it('reports a cycle as a readable path that starts and ends at the same id', () => {
    const r = topologicalOrder(['a', 'b', 'c'], graph({ a: ['b'], b: ['c'], c: ['a'] }));
    expect(r).toEqual({ ok: false, cycle: ['a', 'b', 'c', 'a'] });
  });

  it('reports only the cycle, not the nodes that merely depend on it', () => {
    const r = topologicalOrder(['root', 'x', 'a', 'b'], graph({ x: ['a'], a: ['b'], b: ['a'] }));
    expect(r).toEqual({ ok: false, cycle: ['a', 'b', 'a'] });
  });

  it('reports a self-dependency', () => {
    expect(topologicalOrder(['a', 'b'], graph({ b: ['b'] }))).toEqual({ ok: false, cycle: ['b', 'b'] });
  });
});

describe('closure', () => {
  it('collects the roots and everything they reach', () => {
    const deps = graph({ web: ['base'], base: ['os'], api: ['base'], tool: [] });
    expect(closure(['web'], deps)).toEqual(new Set(['web', 'base', 'os']));
    expect(closure(['web', 'api'], deps)).toEqual(new Set(['web', 'base', 'os', 'api']));
    expect(closure([], deps)).toEqual(new Set());
  });

  it('terminates on cycles', () => {
    expect(closure(['a'], graph({ a: ['b'], b: ['a'] }))).toEqual(new Set(['a', 'b']));
  });
});
