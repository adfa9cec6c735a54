import { rmSync, symlinkSync, utimesSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempTree } from '../temp-tree.js';
import { HashCacheStore } from '../../../src/inputs/hash-cache.js';
import { hashFile } from '../../../src/inputs/hash-file.js';
import { snapshotContext } from '../../../src/inputs/snapshot-context.js';

const tree = (files: Record<string, string>) => tempTree(files, 'multiarch-snap-');

async function snap(dir: string, cacheDir?: string, dockerfile = path.join(dir, 'ctx/Dockerfile')) {
  const store = await HashCacheStore.load(cacheDir);
  const snapshot = await snapshotContext({ context: path.join(dir, 'ctx'), dockerfile, builder: 'buildx', cache: store.forContext(path.join(dir, 'ctx')) });
  await store.save();
  return snapshot;
}

describe('snapshotContext', () => {
  it('lists what the build sees: files with mode and content, directories, symlinks', async () => {
    const dir = tree({ 'ctx/Dockerfile': 'FROM x', 'ctx/a.txt': 'a', 'ctx/sub/b.txt': 'b', 'ctx/.dockerignore': 'sub/ignored*\n', 'ctx/sub/ignored.log': '' });
    chmodSync(path.join(dir, 'ctx/a.txt'), 0o755);
    symlinkSync('a.txt', path.join(dir, 'ctx/link'));
    const s = await snap(dir);
    expect(Object.keys(s.files)).toEqual(['.dockerignore', 'Dockerfile', 'a.txt', 'link', 'sub', 'sub/b.txt']);
    expect(s.files['a.txt']).toMatch(/^f 755 ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb$/);
    expect(s.files.link).toBe('l 777 a.txt');
    expect(s.files.sub).toMatch(/^d /);
    expect(s.ignoreFile).toBe(path.join(dir, 'ctx/.dockerignore'));
    expect(s.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('changes its digest with content, mode or a new file, not with an excluded file', async () => {
    const dir = tree({ 'ctx/Dockerfile': 'FROM x', 'ctx/a.txt': 'a', 'ctx/.dockerignore': 'tmp\n', 'ctx/tmp/x': '1' });
    const first = (await snap(dir)).digest;
    writeFileSync(path.join(dir, 'ctx/tmp/x'), '2');
    expect((await snap(dir)).digest).toBe(first);
    chmodSync(path.join(dir, 'ctx/a.txt'), 0o600);
    const moded = (await snap(dir)).digest;
    expect(moded).not.toBe(first);
    writeFileSync(path.join(dir, 'ctx/b.txt'), 'b');
    expect((await snap(dir)).digest).not.toBe(moded);
  });

  it('uses the Dockerfile-specific ignore file instead of the context one (BuildKit)', async () => {
    const dir = tree({ 'ctx/a.txt': 'a', 'ctx/b.txt': 'b', 'ctx/.dockerignore': 'a.txt\n', 'web.Dockerfile': 'FROM x', 'web.Dockerfile.dockerignore': 'b.txt\n' });
    const s = await snap(dir, undefined, path.join(dir, 'web.Dockerfile'));
    expect(Object.keys(s.files)).toEqual(['.dockerignore', 'a.txt']);
    expect(s.ignoreFile).toBe(path.join(dir, 'web.Dockerfile.dockerignore'));
  });

  it('trusts the hash cache only while size, mtime, inode and ctime are unchanged', async () => {
    const dir = tree({ 'ctx/Dockerfile': 'FROM x', 'ctx/a.txt': 'aaaa' });
    const cache = path.join(dir, 'cache');
    const old = new Date(Date.now() - 60_000);
    utimesSync(path.join(dir, 'ctx/a.txt'), old, old);
    utimesSync(path.join(dir, 'ctx/Dockerfile'), old, old);
    const first = await snap(dir, cache);
    // Same size, same mtime, new content: ctime gives it away.
    writeFileSync(path.join(dir, 'ctx/a.txt'), 'bbbb');
    utimesSync(path.join(dir, 'ctx/a.txt'), old, old);
    const second = await snap(dir, cache);
    expect(second.digest).not.toBe(first.digest);
    // Deleting the cache changes nothing.
    rmSync(cache, { recursive: true, force: true });
    expect((await snap(dir, cache)).digest).toBe(second.digest);
  });
});

describe('snapshotContext while something writes into the context', () => {
  /**
   * A writer racing the read: `victim` is deleted just before it is hashed (the real read then
   * fails), and put back `times - 1` times for the next walk to find and lose again.
   */
  async function racing(dir: string, victim: string, times: number) {
    const store = await HashCacheStore.load(undefined);
    let left = times;
    const hash: typeof hashFile = async (file, size) => {
      if (path.basename(file) !== victim || left-- <= 0) return hashFile(file, size);
      rmSync(file);
      try {
        return await hashFile(file, size);
      } finally {
        if (left > 0) writeFileSync(file, 'again');
      }
    };
    const context = path.join(dir, 'ctx');
    return snapshotContext({ context, dockerfile: path.join(context, 'Dockerfile'), builder: 'buildx', cache: store.forContext(context), hash });
  }

  it('walks again when a file vanishes while it is read, and describes what is there', async () => {
    const dir = tree({ 'ctx/Dockerfile': 'FROM x', 'ctx/tmp.123': 'partial' });
    const s = await racing(dir, 'tmp.123', 1);
    expect(Object.keys(s.files)).toEqual(['Dockerfile']);
  });

  it('names the context and the file when it keeps changing', async () => {
    const dir = tree({ 'ctx/Dockerfile': 'FROM x', 'ctx/tmp.123': 'partial' });
    await expect(racing(dir, 'tmp.123', 10)).rejects.toMatchObject({
      code: 'E_INPUTS',
      message: `the build context ${path.join(dir, 'ctx')} kept changing while it was read (tmp.123 vanished, 3 times)`,
    });
  });
});
