import { describe, expect, it } from 'vitest';
import { copyInto } from '../../../src/direct/copy-files.js';
import { FsTree, type FsEntry } from '../../../src/direct/fs-tree.js';

const dir = (path: string): FsEntry => ({ path, type: 'dir', mode: 0o755, uid: 0, gid: 0 });
const bytes = { kind: 'bytes' as const, bytes: Buffer.from('binary') };

function tree(entries: FsEntry[]): FsTree {
  const t = new FsTree();
  for (const e of [dir('/'), ...entries]) t.set(e);
  return t;
}

/** The copy's entries: path → type and link (or content). */
async function copy(source: FsTree, sources: string[], dest: string, fromContext: boolean) {
  const result = await copyInto(tree([]), source, { dest, sources, fromContext });
  if (!result.ok) throw new Error(result.message);
  return Object.fromEntries(result.changed.filter((e) => e.type !== 'dir').map((e) => [e.path, e.type === 'hardlink' ? `-> ${e.link}` : e.content?.kind]));
}

describe('copyInto: hardlinks as BuildKit copies them', () => {
  // A stage's tree: /bin/busybox with two other names inside /bin and one outside.
  const stage = tree([
    dir('/bin'),
    dir('/other'),
    { path: '/bin/busybox', type: 'file', mode: 0o755, uid: 0, gid: 0, size: 6, content: bytes },
    { path: '/bin/[', type: 'hardlink', mode: 0o755, uid: 0, gid: 0, link: '/bin/busybox' },
    { path: '/bin/sh', type: 'hardlink', mode: 0o755, uid: 0, gid: 0, link: '/bin/busybox' },
    { path: '/other/ln', type: 'hardlink', mode: 0o755, uid: 0, gid: 0, link: '/bin/busybox' },
  ]);

  it('a stage directory: the first name in path order is the file, the others link to it', async () => {
    expect(await copy(stage, ['/bin/'], '/x/', false)).toEqual({ '/x/[': 'bytes', '/x/busybox': '-> /x/[', '/x/sh': '-> /x/[' });
  });

  it('a name whose other names are outside the copy, or one named on its own, is a file', async () => {
    expect(await copy(stage, ['/other/'], '/y/', false)).toEqual({ '/y/ln': 'bytes' });
    expect(await copy(stage, ['/bin/sh', '/bin/busybox'], '/z/', false)).toEqual({ '/z/sh': 'bytes', '/z/busybox': 'bytes' });
  });

  it('context files of one inode in a directory source are linked; other files are not', async () => {
    const file = (path: string, inode?: string): FsEntry => ({ path, type: 'file', mode: 0o644, uid: 0, gid: 0, size: 1, content: { kind: 'file', path: `/ctx${path}` }, ...(inode ? { inode } : {}) });
    const context = tree([dir('/d'), dir('/d/sub'), file('/d/b', '1:9'), file('/d/a', '1:9'), file('/d/sub/c', '1:9'), file('/d/z'), file('/e', '1:9')]);
    expect(await copy(context, ['/d'], '/app/', true)).toEqual({ '/app/a': 'file', '/app/b': '-> /app/a', '/app/sub/c': '-> /app/a', '/app/z': 'file' });
    // A glob's matches are copied one by one (the directory it matches: its contents).
    expect(await copy(context, ['/d/*'], '/g/', true)).toEqual({ '/g/a': 'file', '/g/b': 'file', '/g/c': 'file', '/g/z': 'file' });
  });
});
