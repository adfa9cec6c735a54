import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { BlobStore } from '../../../src/image/blob-store.js';
import type { FsEntry } from '../../../src/direct/fs-tree.js';
import { createTar, writeLayer } from '../../../src/direct/layer-tar.js';
import { readTarEntries, type TarEntry } from '../../../src/direct/tar-read.js';

const bytes = (b: Buffer | string) => ({ kind: 'bytes' as const, bytes: Buffer.isBuffer(b) ? b : Buffer.from(b) });
const read = async (c: { kind: string; bytes?: Buffer }) => c.bytes!;
const EPOCH = 1_700_000_000;

/** What tar-stream's pack wrote for the same entries (the writer multiarch used before). */
async function tarStreamPack(entries: readonly FsEntry[], epoch: number): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const ended = new Promise<void>((resolve) => pack.on('end', () => resolve()));
  const mtime = new Date(epoch * 1000);
  for (const e of [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const header = { name: e.path.slice(1) + (e.type === 'dir' ? '/' : ''), mode: e.mode, uid: e.uid, gid: e.gid, uname: '', gname: '', mtime };
    if (e.type === 'dir') pack.entry({ ...header, type: 'directory' });
    else if (e.type === 'symlink') pack.entry({ ...header, type: 'symlink', linkname: e.link! });
    else if (e.type === 'hardlink') pack.entry({ ...header, type: 'link', linkname: e.link!.slice(1) });
    else {
      const b = (e.content as { bytes: Buffer }).bytes;
      await new Promise<void>((resolve, reject) => pack.entry({ ...header, type: 'file', size: b.length }, b, (err) => (err ? reject(err) : resolve())));
    }
  }
  pack.finalize();
  await ended;
  return Buffer.concat(chunks);
}

const long = (n: number) => Array.from({ length: n }, (_, i) => `segment-${i}`).join('/');
/** Repetitive but not trivially so: deflate emits several blocks for it. */
const big = Buffer.from(Array.from({ length: 60_000 }, (_, i) => `line ${i} ${(i * 7919) % 1000}\n`).join(''));

const entries: FsEntry[] = [
  { path: '/app', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
  { path: '/app/empty', type: 'file', mode: 0o644, uid: 0, gid: 0, content: bytes('') },
  { path: '/app/511', type: 'file', mode: 0o600, uid: 1000, gid: 50, content: bytes('x'.repeat(511)) },
  { path: '/app/512', type: 'file', mode: 0o4755, uid: 1, gid: 1, content: bytes('y'.repeat(512)) },
  { path: '/app/513', type: 'file', mode: 0o640, uid: 0, gid: 0, content: bytes('z'.repeat(513)) },
  { path: '/app/big', type: 'file', mode: 0o644, uid: 0, gid: 0, content: bytes(big) },
  // A uid over 7 octal digits is written as 7777777 (tar-stream's quirk, kept).
  { path: '/app/big-uid', type: 'file', mode: 0o644, uid: 0o20000000, gid: 0, content: bytes('m') },
  { path: '/app/link', type: 'symlink', mode: 0o777, uid: 0, gid: 0, link: '511' },
  { path: '/app/empty-link', type: 'symlink', mode: 0o777, uid: 0, gid: 0, link: '' },
  { path: '/app/hard', type: 'hardlink', mode: 0o600, uid: 1000, gid: 50, link: '/app/511' },
  // Over 100 bytes: split into prefix and name; over 255: a PAX record.
  { path: `/app/${long(12)}`, type: 'file', mode: 0o644, uid: 0, gid: 0, content: bytes('prefix') },
  { path: `/app/${long(30)}`, type: 'file', mode: 0o644, uid: 0, gid: 0, content: bytes('pax') },
  { path: `/app/${'n'.repeat(120)}`, type: 'file', mode: 0o644, uid: 0, gid: 0, content: bytes('no slash to split at') },
  { path: `/app/${long(30)}-dir`, type: 'dir', mode: 0o755, uid: 0, gid: 0 },
  { path: '/app/long-target', type: 'symlink', mode: 0o777, uid: 0, gid: 0, link: long(15) },
  { path: '/app/hard-long', type: 'hardlink', mode: 0o644, uid: 0, gid: 0, link: `/app/${long(30)}` },
  { path: '/app/ünïcødé', type: 'file', mode: 0o644, uid: 0, gid: 0, content: bytes('utf-8 name') },
  { path: '/app/ünïcødé-link', type: 'symlink', mode: 0o777, uid: 0, gid: 0, link: 'ünïcødé' },
];

describe('the layer tar', () => {
  it('is byte for byte what tar-stream wrote: ustar, prefixes, PAX records, padding, quirks', async () => {
    const ours = await createTar(entries, EPOCH, read as never);
    expect(ours.equals(await tarStreamPack(entries, EPOCH))).toBe(true);
  });

  it('has the digests of tar-stream plus one-shot gzip level 6 (layers written before keep their digests)', async () => {
    const reference = await tarStreamPack(entries, EPOCH);
    const gz = zlib.gzipSync(reference, { level: 6 });
    gz[9] = 3;
    const written = await writeLayer(entries, EPOCH, read as never, new BlobStore(mkdtempSync(path.join(os.tmpdir(), 'tar-format-'))));
    expect(written.diffId).toBe(`sha256:${createHash('sha256').update(reference).digest('hex')}`);
    expect(written.digest).toBe(`sha256:${createHash('sha256').update(gz).digest('hex')}`);
    expect(written.size).toBe(gz.length);
  });

  it('writes a mode of 0 as 0000, as BuildKit does for COPY --chmod=000 (tar-stream wrote the type\'s default)', async () => {
    const zero: FsEntry[] = [
      { path: '/app/mode0', type: 'file', mode: 0, uid: 0, gid: 0, content: bytes('m') },
      { path: '/app/dir0', type: 'dir', mode: 0, uid: 0, gid: 0 },
    ];
    const archive = await createTar(zero, EPOCH, read as never);
    const modes: Array<[string, number]> = [];
    await readTarEntries([archive], (e) => modes.push([e.name, e.mode]));
    expect(modes).toEqual([
      ['app/dir0/', 0],
      ['app/mode0', 0],
    ]);
  });

  it('fails when a file cannot be read, whichever file it is', async () => {
    const failing = async (c: { kind: string; bytes?: Buffer }) => (c.bytes?.toString() === 'pax' ? Promise.reject(new Error('gone')) : c.bytes!);
    await expect(writeLayer(entries, EPOCH, failing as never, new BlobStore(mkdtempSync(path.join(os.tmpdir(), 'tar-format-'))))).rejects.toThrow('gone');
  });
});

/** What tar-stream's extract names each entry, with the bytes of every file. */
async function tarStreamEntries(archive: Buffer): Promise<Array<{ entry: TarEntry; body: string }>> {
  const extract = tar.extract();
  const out: Array<{ entry: TarEntry; body: string }> = [];
  extract.on('entry', (h, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => chunks.push(c as Buffer));
    stream.on('end', () => {
      out.push({ entry: { name: h.name, type: h.type ?? undefined, mode: h.mode!, uid: h.uid!, gid: h.gid!, size: h.size!, linkname: h.linkname ?? undefined } as TarEntry, body: Buffer.concat(chunks).toString('hex') });
      next();
    });
  });
  const done = new Promise((resolve, reject) => {
    extract.on('finish', () => resolve(undefined));
    extract.on('error', reject);
  });
  extract.end(archive);
  await done;
  return out;
}

async function ourEntries(archive: Buffer, cut: number): Promise<Array<{ entry: TarEntry; body: string }>> {
  async function* pieces() {
    for (let i = 0; i < archive.length; i += cut) yield archive.subarray(i, i + cut);
  }
  const out: Array<{ entry: TarEntry; body: string }> = [];
  await readTarEntries(pieces(), (entry, body) => out.push({ entry, body: body!.toString('hex') }), () => true);
  return out;
}

/** A GNU tar's long-name record ('L'), its header in GNU format. */
function gnuLongName(name: string): Buffer {
  const body = Buffer.from(`${name}\0`);
  const h = Buffer.alloc(512);
  h.write('././@LongLink', 0);
  h.write('0000644 ', 100);
  h.write('0000000 ', 108);
  h.write('0000000 ', 116);
  h.write(`${body.length.toString(8).padStart(11, '0')} `, 124);
  h.write('00000000000 ', 136);
  h.write('L', 156);
  h.write('ustar  \0', 257, 'latin1');
  let sum = 8 * 32;
  for (let i = 0; i < 512; i++) if (i < 148 || i >= 156) sum += h[i]!;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return Buffer.concat([h, body, Buffer.alloc(512 - body.length)]);
}

describe('readTarEntries', () => {
  it('names every entry as tar-stream does, with the same bytes, however the stream is cut', async () => {
    const archive = await tarStreamPack(entries, EPOCH);
    const expected = await tarStreamEntries(archive);
    expect(expected.length).toBe(entries.length);
    for (const cut of [13, 512, 1000, archive.length]) expect(await ourEntries(archive, cut)).toEqual(expected);
  });

  it('applies a GNU long name and a PAX size, skips all-zero blocks', async () => {
    const pack = tar.pack();
    const chunks: Buffer[] = [];
    pack.on('data', (c: unknown) => chunks.push(c as Buffer));
    const ended = new Promise<void>((resolve) => pack.on('end', () => resolve()));
    pack.entry({ name: 'short', mode: 0o644, mtime: new Date(0), pax: { size: '3' } }, Buffer.from('abc'));
    pack.entry({ name: 'placeholder', mode: 0o600, mtime: new Date(0) }, Buffer.from('body'));
    pack.finalize();
    await ended;
    const tarred = Buffer.concat(chunks);
    // Put a GNU long-name record before the second entry's header (its place: after the first entry).
    const first = tarred.subarray(0, tarred.indexOf(Buffer.from('placeholder')));
    const archive = Buffer.concat([Buffer.alloc(512), first, gnuLongName('a/very/long/gnu/name'), tarred.subarray(first.length)]);
    const expected = await tarStreamEntries(archive);
    expect(expected.map((e) => e.entry.name)).toEqual(['short', 'a/very/long/gnu/name']);
    expect(await ourEntries(archive, 100)).toEqual(expected);
  });

  it('keeps only the bytes asked for, and refuses a cut archive or a bad checksum', async () => {
    const archive = await tarStreamPack(entries, EPOCH);
    const kept: string[] = [];
    await readTarEntries([archive], (e, body) => body && kept.push(e.name), (e) => e.name === 'app/512');
    expect(kept).toEqual(['app/512']);
    await expect(readTarEntries([archive.subarray(0, 1536 + 100)], () => undefined)).rejects.toThrow('Unexpected end of data');
    const bad = Buffer.from(archive);
    bad[0] = bad[0]! + 1;
    await expect(readTarEntries([bad], () => undefined)).rejects.toThrow('Invalid tar header');
  });
});
