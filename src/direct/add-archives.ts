/**
 * ADD unpacks a local archive compressed with bzip2, xz or zstd as Docker does, but Node has no
 * decompressor for them (zlib is gzip and deflate only) and none ships with multiarch: an image
 * whose ADD names such a file goes to the engine, with the file named as the reason, rather than
 * getting the archive copied as it is. Sources are looked at in the context before planning; a
 * variable in a source (`app-${TARGETARCH}.tar.xz`) matches any text, so every platform's file is
 * seen. Edge: reads the first bytes of context files.
 */
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { globRegExp } from './copy-files.js';
import type { DirectSupport } from './direct-support.js';

/** What the archive's first bytes say, for the kinds only an engine unpacks. */
export function compressionOf(head: Buffer): 'bzip2' | 'xz' | 'zstd' | undefined {
  if (head.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2';
  if (head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz';
  if (head.subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))) return 'zstd';
  return undefined;
}

export type ArchiveProblem = { readonly instruction: string; readonly line: number; readonly why: string };

/** The first ADD (by line) of the stages the target needs that names a bzip2/xz/zstd file of the context. */
export async function findEngineArchive(support: Extract<DirectSupport, { ok: true }>, context: string): Promise<ArchiveProblem | undefined> {
  for (const index of support.needed) {
    for (const ins of support.stages[index]!.body) {
      if (ins.keyword !== 'ADD') continue;
      const sources = (ins.json ?? ins.words).slice(0, -1);
      for (const source of sources) {
        for (const file of await matchingFiles(context, source)) {
          const kind = compressionOf(await firstBytes(file));
          if (kind) return { instruction: 'ADD', line: ins.line, why: `unpacks ${path.relative(context, file)}, compressed with ${kind} (multiarch unpacks plain and gzip tars only)` };
        }
      }
    }
  }
  return undefined;
}

/** Context files a source can name: itself, or its glob / variable matches (one directory level per segment). */
async function matchingFiles(context: string, source: string): Promise<string[]> {
  const segments = source.split('/').filter((s) => s !== '' && s !== '.');
  let dirs = [context];
  for (const [i, segment] of segments.entries()) {
    const pattern = segmentRegExp(segment);
    const next: string[] = [];
    for (const dir of dirs) {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        if (!pattern.test(e.name)) continue;
        const full = path.join(dir, e.name);
        if (i === segments.length - 1 ? e.isFile() : e.isDirectory()) next.push(full);
      }
    }
    dirs = next;
  }
  return dirs;
}

/** A source segment as a glob, each variable (`$NAME`, `${NAME}`, `${NAME:-x}`) matching any text. */
function segmentRegExp(segment: string): RegExp {
  return globRegExp(segment.replace(/\$(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)/g, '*'));
}

async function firstBytes(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(6);
    const { bytesRead } = await handle.read(buf, 0, 6, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
