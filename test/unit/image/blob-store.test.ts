import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { afterAll, describe, expect, it } from 'vitest';
import { BlobStore } from '../../../src/image/blob-store.js';
import { sha256Digest } from '../../../src/image/descriptor.js';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));
function store(): BlobStore {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'multiarch-blobs-'));
  roots.push(root);
  return new BlobStore(root);
}

describe('BlobStore', () => {
  it('puts, finds, sizes, reads and streams blobs by digest', async () => {
    const s = store();
    const bytes = Buffer.from('{"schemaVersion":2}');
    const digest = sha256Digest(bytes);
    expect(await s.has(digest)).toBe(false);
    expect(await s.size(digest)).toBeUndefined();
    await s.put(digest, bytes);
    await s.put(digest, Buffer.from('ignored: already there'));
    expect(await s.has(digest)).toBe(true);
    expect(await s.size(digest)).toBe(bytes.length);
    expect((await s.read(digest)).equals(bytes)).toBe(true);
    const streamed: Buffer[] = [];
    for await (const c of s.stream(digest) as AsyncIterable<Buffer>) streamed.push(c);
    expect(Buffer.concat(streamed).equals(bytes)).toBe(true);
  });

  it('commits a temp file by renaming it into place, and drops it when the blob exists', async () => {
    const s = store();
    const temp = await s.tempPath();
    expect(path.dirname(temp)).toBe(path.join(s.root, 'tmp'));
    expect(await s.tempPath()).not.toBe(temp);
    fs.writeFileSync(temp, 'content');
    const digest = sha256Digest('content');
    await s.commit(temp, digest);
    expect(fs.existsSync(temp)).toBe(false);
    expect(fs.readFileSync(s.path(digest), 'utf8')).toBe('content');

    const again = await s.tempPath();
    fs.writeFileSync(again, 'content');
    await s.commit(again, digest);
    expect(fs.existsSync(again)).toBe(false);
    expect(fs.readFileSync(s.path(digest), 'utf8')).toBe('content');
  });

  it('keeps small JSON records by kind and key', async () => {
    const s = store();
    expect(await s.readRecord('exported-images', 'abc')).toBeUndefined();
    await s.writeRecord('exported-images', 'abc', { imageId: 'sha256:abc', layers: [1, 2] });
    await s.writeRecord('exported-images', 'abc', { imageId: 'sha256:abc', layers: [3] });
    expect(await s.readRecord('exported-images', 'abc')).toEqual({ imageId: 'sha256:abc', layers: [3] });
    expect(fs.readdirSync(path.join(s.root, 'exported-images'))).toEqual(['abc.json']);
    fs.writeFileSync(path.join(s.root, 'exported-images', 'broken.json'), '{not json');
    expect(await s.readRecord('exported-images', 'broken')).toBeUndefined();
  });

  it('names temp files for this process and removes those of runs that died writing, not a live run\'s', async () => {
    const s = store();
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.on('exit', resolve));
    const tmp = path.join(s.root, 'tmp');
    fs.mkdirSync(tmp, { recursive: true });
    fs.writeFileSync(path.join(tmp, `${dead.pid}-0123456789abcdef`), 'partial layer');
    fs.writeFileSync(path.join(tmp, `${process.ppid}-0123456789abcdef`), 'a live run is writing this');
    const temp = await s.tempPath();
    expect(path.basename(temp)).toMatch(new RegExp(`^${process.pid}-[0-9a-f]{16}$`));
    expect(fs.readdirSync(tmp)).toEqual([`${process.ppid}-0123456789abcdef`]);
  });
});
