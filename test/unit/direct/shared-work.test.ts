import { describe, expect, it } from 'vitest';
import { FsTree, type FsEntry } from '../../../src/direct/fs-tree.js';
import { layerKey, SharedWork } from '../../../src/direct/shared-work.js';

const file = (path: string, extra: Partial<FsEntry> = {}): FsEntry => ({ path, type: 'file', mode: 0o644, uid: 0, gid: 0, size: 1, content: { kind: 'file', path: `/ctx${path}` }, ...extra });

describe('layerKey', () => {
  const entries = [{ path: '/srv', type: 'dir', mode: 0o755, uid: 0, gid: 0 } as FsEntry, file('/srv/a'), file('/srv/b')];

  it('is the same for the same entries in any order, and the epoch counts', () => {
    expect(layerKey([...entries].reverse(), 1)).toBe(layerKey(entries, 1));
    expect(layerKey(entries, 2)).not.toBe(layerKey(entries, 1));
  });

  it('changes with anything that changes the tar: owner, mode, link, source of the bytes, the bytes', () => {
    const key = layerKey(entries, 1);
    expect(layerKey([...entries.slice(0, 2), file('/srv/b', { uid: 1000 })], 1)).not.toBe(key);
    expect(layerKey([...entries.slice(0, 2), file('/srv/b', { mode: 0o600 })], 1)).not.toBe(key);
    expect(layerKey([...entries.slice(0, 2), file('/srv/b', { content: { kind: 'file', path: '/other/b' } })], 1)).not.toBe(key);
    const bytes = (text: string) => file('/srv/b', { content: { kind: 'bytes', bytes: Buffer.from(text) } });
    expect(layerKey([entries[0]!, bytes('x')], 1)).toBe(layerKey([entries[0]!, bytes('x')], 1));
    expect(layerKey([entries[0]!, bytes('x')], 1)).not.toBe(layerKey([entries[0]!, bytes('y')], 1));
  });
});

describe('SharedWork', () => {
  it('runs the work of a key once; every caller gets its promise', async () => {
    const shared = new SharedWork();
    let runs = 0;
    const make = async () => ++runs;
    const [a, b] = await Promise.all([shared.once('k', make), shared.once('k', make)]);
    expect([a, b, runs]).toEqual([1, 1, 1]);
    expect(await shared.once('other', make)).toBe(2);
  });
});

describe('FsTree.remove', () => {
  it('removes a directory with everything under it, and a file alone', () => {
    const tree = new FsTree();
    for (const p of ['/a', '/a/b', '/ab']) tree.set({ path: p, type: 'dir', mode: 0o755, uid: 0, gid: 0 });
    tree.set(file('/a/b/c'));
    tree.set(file('/ab/d'));
    tree.remove('/a');
    expect(tree.all().map((e) => e.path)).toEqual(['/ab', '/ab/d']);
    tree.remove('/ab/d');
    expect(tree.all().map((e) => e.path)).toEqual(['/ab']);
    // A path whose children came without an entry of its own still takes them along.
    tree.set(file('/implicit/x'));
    tree.remove('/implicit');
    expect(tree.all().map((e) => e.path)).toEqual(['/ab']);
    // A copy keeps knowing which paths have children.
    tree.set(file('/ab/e'));
    const copy = tree.clone();
    copy.remove('/ab');
    expect(copy.all()).toEqual([]);
  });
});
