/**
 * Reads a tar stream's entries as tar-stream's `extract()` (3.x) names them — ustar prefixes, GNU
 * long names and links, PAX `path`/`linkpath`/`size` (global records merged in), all-zero blocks
 * skipped — without a stream per entry: a base layer of a few thousand entries is read in a few
 * milliseconds after gunzip, and only the bytes of the entries asked for are kept. Pure (bytes in,
 * entries out).
 */
import { checksum } from './tar-headers.js';

export interface TarEntry {
  /** As the archive names it (long names applied), not normalized. */
  readonly name: string;
  /** tar-stream's type names; undefined for a type it does not name (the entry is skipped over). */
  readonly type: 'file' | 'link' | 'symlink' | 'character-device' | 'block-device' | 'directory' | 'fifo' | 'contiguous-file' | undefined;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly linkname: string | undefined;
}

/** A PAX or GNU record longer than this is refused (tar-stream's limit). */
const MAX_HEADER_SIZE = 1024 * 1024;

type Meta = 'pax' | 'pax-global' | 'gnu-long-path' | 'gnu-long-link-path';

/**
 * `visit` gets every entry in archive order; `keep(entry)` true: its bytes come along. Chunks may
 * be cut anywhere.
 */
export async function readTarEntries(chunks: AsyncIterable<Buffer> | Iterable<Buffer>, visit: (entry: TarEntry, body?: Buffer) => void, keep?: (entry: TarEntry) => boolean): Promise<void> {
  let rest: Buffer = Buffer.alloc(0);
  /** Bytes to pass over (an entry's unkept body, padding). */
  let skip = 0;
  /** A body being collected: a kept entry's or a PAX/GNU record's. */
  let collecting: { entry?: TarEntry; meta?: Meta; parts: Buffer[]; left: number; padding: number } | undefined;
  let pax: Record<string, string> | undefined;
  let paxGlobal: Record<string, string> | undefined;
  let longPath: string | undefined;
  let longLink: string | undefined;

  const finish = (body: Buffer, c: NonNullable<typeof collecting>) => {
    if (c.entry) visit(c.entry, body);
    else if (c.meta === 'gnu-long-path') longPath = cString(body);
    else if (c.meta === 'gnu-long-link-path') longLink = cString(body);
    else if (c.meta === 'pax-global') paxGlobal = decodePax(body);
    else pax = { ...paxGlobal, ...decodePax(body) };
  };

  for await (const chunk of chunks) {
    const buf = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let off = 0;
    while (off < buf.length) {
      if (skip > 0) {
        const n = Math.min(skip, buf.length - off);
        off += n;
        skip -= n;
        continue;
      }
      if (collecting) {
        const n = Math.min(collecting.left, buf.length - off);
        collecting.parts.push(buf.subarray(off, off + n));
        off += n;
        collecting.left -= n;
        if (collecting.left > 0) continue;
        const c = collecting;
        collecting = undefined;
        finish(Buffer.concat(c.parts), c);
        skip = c.padding;
        continue;
      }
      if (buf.length - off < 512) break;
      const block = buf.subarray(off, off + 512);
      off += 512;
      const raw = decodeHeader(block);
      if (!raw) continue;
      const meta = metaKind(raw.typeflag);
      if (meta) {
        if (raw.size > MAX_HEADER_SIZE) throw new Error('Header exceeds max size');
        // An empty record changes nothing (tar-stream reads no body for it).
        if (raw.size > 0) collecting = { meta, parts: [], left: raw.size, padding: overflow(raw.size) };
        continue;
      }
      let { name, linkname, size } = raw;
      if (longPath) name = longPath;
      if (longLink) linkname = longLink;
      longPath = longLink = undefined;
      if (pax) {
        if (pax.path) name = pax.path;
        if (pax.linkpath) linkname = pax.linkpath;
        if (pax.size) size = parseInt(pax.size, 10);
        pax = undefined;
      }
      if (!(size >= 0)) throw new Error('Invalid header');
      const entry: TarEntry = { name, type: raw.type, mode: raw.mode, uid: raw.uid, gid: raw.gid, size, linkname };
      // A directory has no body whatever its size field says (as tar-stream reads it).
      if (size === 0 || entry.type === 'directory') {
        visit(entry, keep?.(entry) ? Buffer.alloc(0) : undefined);
        continue;
      }
      if (keep?.(entry)) collecting = { entry, parts: [], left: size, padding: overflow(size) };
      else {
        visit(entry);
        skip = size + overflow(size);
      }
    }
    rest = off < buf.length ? Buffer.from(buf.subarray(off)) : Buffer.alloc(0);
  }
  // A cut archive (a body or header short of its end) is an error, as in tar-stream.
  if (skip > 0 || collecting || rest.length > 0) throw new Error('Unexpected end of data');
}

interface RawHeader {
  readonly name: string;
  readonly typeflag: number;
  readonly type: TarEntry['type'];
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly linkname: string | undefined;
}

const TYPES: Record<number, TarEntry['type']> = { 0: 'file', 1: 'link', 2: 'symlink', 3: 'character-device', 4: 'block-device', 5: 'directory', 6: 'fifo', 7: 'contiguous-file' };

function metaKind(typeflag: number): Meta | undefined {
  if (typeflag === 72) return 'pax';
  if (typeflag === 55) return 'pax-global';
  if (typeflag === 27) return 'gnu-long-link-path';
  if (typeflag === 28 || typeflag === 30) return 'gnu-long-path';
  return undefined;
}

/** One 512-byte header; undefined for an all-zero block. */
function decodeHeader(block: Buffer): RawHeader | undefined {
  const sum = checksum(block);
  if (sum === 8 * 32) return undefined;
  if (sum !== decodeOctal(block, 148, 8)) throw new Error('Invalid tar header. Maybe the tar is corrupted or it needs to be gunzipped?');
  let typeflag = block[156] === 0 ? 0 : block[156]! - 0x30;
  let name = cString(block, 0, 100);
  const magic = block.toString('latin1', 257, 263);
  if (magic === 'ustar\0') {
    if (block[345]) name = `${cString(block, 345, 155)}/${name}`;
  } else if (!(magic === 'ustar ' && block[263] === 0x20 && block[264] === 0)) {
    throw new Error('Invalid tar header: unknown format.');
  }
  if (typeflag === 0 && name.endsWith('/')) typeflag = 5;
  return {
    name,
    typeflag,
    type: TYPES[typeflag],
    mode: decodeOctal(block, 100, 8),
    uid: decodeOctal(block, 108, 8),
    gid: decodeOctal(block, 116, 8),
    size: decodeOctal(block, 124, 12),
    linkname: block[157] === 0 ? undefined : cString(block, 157, 100),
  };
}

/** UTF-8 up to the first NUL (or the field's end). */
function cString(buf: Buffer, start = 0, length = buf.length): string {
  const end = buf.indexOf(0, start);
  return buf.toString('utf8', start, end === -1 || end > start + length ? start + length : end);
}

/** An octal field (leading spaces and NULs allowed, ended by a space or NUL), or base-256 when its high bit is set. */
function decodeOctal(buf: Buffer, offset: number, length: number): number {
  const field = buf.subarray(offset, offset + length);
  if (field[0]! & 0x80) return base256(field);
  let i = 0;
  while (i < field.length && field[i] === 32) i++;
  let end = field.indexOf(32, i);
  if (end === -1) end = field.length;
  while (i < end && field[i] === 0) i++;
  if (end === i) return 0;
  return parseInt(field.toString('latin1', i, end), 8);
}

function base256(field: Buffer): number {
  const positive = field[0] === 0x80;
  if (!positive && field[0] !== 0xff) return NaN;
  let sum = 0;
  for (let i = 1; i < field.length; i++) sum = sum * 256 + (positive ? field[i]! : 0xff - field[i]!);
  return positive ? sum : -sum;
}

function overflow(size: number): number {
  const rest = size & 511;
  return rest ? 512 - rest : 0;
}

function decodePax(buf: Buffer): Record<string, string> {
  const result: Record<string, string> = {};
  while (buf.length) {
    let i = 0;
    while (i < buf.length && buf[i] !== 32) i++;
    const len = parseInt(buf.toString('utf8', 0, i), 10);
    if (!len) return result;
    const record = buf.toString('utf8', i + 1, len - 1);
    const eq = record.indexOf('=');
    if (eq === -1) return result;
    result[record.slice(0, eq)] = record.slice(eq + 1);
    buf = buf.subarray(len);
  }
  return result;
}
