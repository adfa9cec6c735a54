import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlobStore } from '../../../src/image/blob-store.js';
import { writeLayer } from '../../../src/direct/layer-tar.js';
import type { FsEntry } from '../../../src/direct/fs-tree.js';

const bytes = (text: string) => ({ kind: 'bytes' as const, bytes: Buffer.from(text) });
const read = async (c: { kind: string; bytes?: Buffer }) => c.bytes!;

describe('writeLayer', () => {
  it('is deterministic: the same entries in any order give the same diff id and digest', async () => {
    const entries: FsEntry[] = [
      { path: '/app', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
      { path: '/app/a.txt', type: 'file', mode: 0o640, uid: 1000, gid: 50, content: bytes('a') },
      { path: '/app/link', type: 'symlink', mode: 0o777, uid: 0, gid: 0, link: 'a.txt' },
      { path: '/app/hard', type: 'hardlink', mode: 0o640, uid: 1000, gid: 50, link: '/app/a.txt' },
    ];
    const one = await writeLayer(entries, 1_700_000_000, read as never, new BlobStore(mkdtempSync(path.join(os.tmpdir(), 'l1-'))));
    const two = await writeLayer([...entries].reverse(), 1_700_000_000, read as never, new BlobStore(mkdtempSync(path.join(os.tmpdir(), 'l2-'))));
    expect(two).toEqual(one);
    const later = await writeLayer(entries, 1_700_000_001, read as never, new BlobStore(mkdtempSync(path.join(os.tmpdir(), 'l3-'))));
    expect(later.diffId).not.toBe(one.diffId);
  });
});
