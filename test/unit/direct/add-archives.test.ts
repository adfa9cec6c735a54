import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compressionOf } from '../../../src/direct/add-archives.js';
import { gatherDockerfileFacts } from '../../../src/facts/dockerfile-facts.js';
import type { ResolvedConfig } from '../../../src/config/resolved.js';

const XZ = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04]);
const BZIP2 = Buffer.from('BZh91AY&SY');
const ZSTD = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x00]);

/** One image per Dockerfile text, all on one context holding these files. */
async function facts(files: Record<string, Buffer | string>, dockerfiles: Record<string, string>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'add-archives-'));
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), body);
  }
  const images: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(dockerfiles)) {
    writeFileSync(path.join(dir, `${name}.Dockerfile`), text);
    images[name] = { name, context: dir, dockerfile: path.join(dir, `${name}.Dockerfile`) };
  }
  return gatherDockerfileFacts({ images } as unknown as ResolvedConfig, new Set(Object.keys(dockerfiles)));
}

describe('ADD of archives only an engine unpacks', () => {
  it('knows bzip2, xz and zstd by their first bytes, and nothing else', () => {
    expect([compressionOf(BZIP2), compressionOf(XZ), compressionOf(ZSTD)]).toEqual(['bzip2', 'xz', 'zstd']);
    expect(compressionOf(gzipSync('x'))).toBeUndefined();
    expect(compressionOf(Buffer.from('plain text'))).toBeUndefined();
  });

  it('sends an image whose ADD names such a file to the engine, naming the file; gzip and other files stay direct', async () => {
    const got = await facts(
      { 'rootfs.tar.xz': XZ, 'app-amd64.tar.bz2': BZIP2, 'site.tar.gz': gzipSync('x'), 'dir/inner.tar.xz': XZ, 'notes.txt': 'n' },
      {
        xz: 'FROM scratch\nCOPY notes.txt /\nADD rootfs.tar.xz /\n',
        arg: 'FROM scratch\nARG TARGETARCH\nADD ["app-${TARGETARCH}.tar.bz2", "/opt/"]\n',
        glob: 'FROM scratch\nADD *.txt r*.tar.* /x/\n',
        gzip: 'FROM scratch\nADD site.tar.gz notes.txt /srv/\n',
        // A directory's files are copied, never unpacked.
        dir: 'FROM scratch\nADD dir /d/\n',
        // COPY never unpacks.
        copy: 'FROM scratch\nCOPY rootfs.tar.xz /\n',
        unused: 'FROM scratch AS other\nADD rootfs.tar.xz /\nFROM scratch\nCOPY notes.txt /\n',
      },
    );
    expect(got.xz).toEqual({ direct: false, instruction: 'ADD', line: 3, why: 'unpacks rootfs.tar.xz, compressed with xz (multiarch unpacks plain and gzip tars only)' });
    expect(got.arg).toMatchObject({ direct: false, line: 3, why: expect.stringContaining('app-amd64.tar.bz2, compressed with bzip2') });
    expect(got.glob).toMatchObject({ direct: false, line: 2, why: expect.stringContaining('rootfs.tar.xz') });
    expect([got.gzip, got.dir, got.copy, got.unused]).toEqual([{ direct: true }, { direct: true }, { direct: true }, { direct: true }]);
  });
});
