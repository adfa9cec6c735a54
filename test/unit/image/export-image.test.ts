/**
 * Reading a `docker save` archive into the blob store. The archive comes from a child process whose
 * stdout starts flowing as soon as it is spawned (execa reads what nobody else does): the extractor
 * must be piped to at once. Regression: the tar module was loaded between the spawn and the pipe,
 * and the first export of a run on a busy machine lost the archive's start ("Invalid tar header").
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import tar from 'tar-stream';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { BlobStore } from '../../../src/image/blob-store.js';
import { sha256Digest } from '../../../src/image/descriptor.js';
import { exportImage } from '../../../src/image/export-image.js';

// tar-stream loading as slowly as a first load from disk on a busy machine.
vi.mock('../../../src/image/load-tar.js', () => ({
  loadTar: () => new Promise((resolve) => setTimeout(() => resolve(tar), 50)),
}));

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

async function pack(files: Record<string, Buffer>): Promise<Buffer> {
  const p = tar.pack();
  for (const [name, content] of Object.entries(files)) p.entry({ name, size: content.length }, content);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A docker-archive of one image with one layer, and its image id. */
async function archive(): Promise<{ bytes: Buffer; imageId: string }> {
  const layer = await pack({ 'hello.txt': Buffer.from('hello\n') });
  const config = Buffer.from(JSON.stringify({ architecture: 'arm64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256Digest(layer)] } }));
  const imageId = sha256Digest(config);
  const hex = imageId.slice('sha256:'.length);
  const manifest = Buffer.from(JSON.stringify([{ Config: `${hex}.json`, RepoTags: null, Layers: ['abc/layer.tar'] }]));
  return { bytes: await pack({ [`${hex}.json`]: config, 'abc/layer.tar': layer, 'manifest.json': manifest }), imageId };
}

describe('exportImage', () => {
  it('reads an archive whose stream flows from the moment the save starts', async () => {
    const { bytes, imageId } = await archive();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'multiarch-export-'));
    roots.push(root);
    const exported = await exportImage(
      async () => {
        // Like a spawned process: the bytes come on the next turn whether or not anyone listens.
        const stdout = new PassThrough();
        stdout.resume();
        setImmediate(() => stdout.end(bytes));
        return { stdout, done: new Promise((resolve) => stdout.on('end', () => setImmediate(() => resolve({ exitCode: 0, stderr: '', canceled: false })))) };
      },
      imageId,
      new BlobStore(root),
    );
    expect(exported.imageId).toBe(imageId);
    expect(exported.platform).toEqual({ os: 'linux', architecture: 'arm64' });
    expect(exported.layers).toHaveLength(1);
  });
});
