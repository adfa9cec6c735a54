/**
 * The tar headers of a layer, written without a stream library: byte for byte what tar-stream's
 * `pack()` (3.x) wrote for the same entries before — ustar, a PAX record (`path`, `linkpath`) when
 * a name is not ASCII or does not fit, and its quirks kept (a uid over 7 octal digits as 7777777,
 * the PAX entry's own header named `PaxHeader`) — so layers written by earlier versions keep their
 * digests. A unit test compares the two. One quirk is not kept: tar-stream wrote a mode of 0 as the
 * type's default (0644, 0755), where BuildKit writes what `COPY --chmod=000` asks for. Pure.
 */

export interface TarHeader {
  readonly name: string;
  readonly type: 'file' | 'directory' | 'symlink' | 'link';
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Seconds since 1970. */
  readonly mtime: number;
  readonly size?: number;
  readonly linkname?: string;
}

const TYPEFLAG = { file: 0, link: 1, symlink: 2, directory: 5 } as const;
const PAX_TYPEFLAG = 72;

/** The header block(s) before an entry's bytes: one block, or a PAX header, its record and the entry's block. */
export function tarHeaderBlocks(h: TarHeader): Buffer[] {
  const size = h.type === 'file' ? (h.size ?? 0) : 0;
  const mode = h.mode;
  const linkname = h.linkname || undefined;
  const fields = { mode, uid: h.uid || 0, gid: h.gid || 0, mtime: h.mtime };
  const plain = encodeBlock({ ...fields, name: h.name, typeflag: TYPEFLAG[h.type], size, linkname });
  if (plain) return [plain];
  let record = paxRecord(` path=${h.name}\n`);
  if (linkname) record += paxRecord(` linkpath=${linkname}\n`);
  const body = Buffer.from(record);
  const paxName = linkname && 'PaxHeader';
  return [
    encodeBlock({ ...fields, name: 'PaxHeader', typeflag: PAX_TYPEFLAG, size: body.length, linkname: paxName })!,
    body,
    padding(body.length),
    encodeBlock({ ...fields, name: 'PaxHeader', typeflag: TYPEFLAG[h.type], size, linkname: paxName })!,
  ].filter((b) => b.length > 0);
}

/** Zeros up to the next 512-byte boundary after `size` bytes. */
export function padding(size: number): Buffer {
  const rest = size & 511;
  return rest ? Buffer.alloc(512 - rest) : Buffer.alloc(0);
}

/** Two zero blocks end an archive. */
export const END_OF_ARCHIVE = Buffer.alloc(1024);

interface Block {
  readonly name: string;
  readonly typeflag: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly mtime: number;
  readonly linkname: string | undefined;
}

/** One ustar block, or undefined when the name or link target needs a PAX record. */
function encodeBlock(b: Block): Buffer | undefined {
  let name = b.name;
  let prefix = '';
  if (Buffer.byteLength(name) !== name.length) return undefined;
  while (name.length > 100) {
    const i = name.indexOf('/');
    if (i === -1) return undefined;
    prefix += prefix ? `/${name.slice(0, i)}` : name.slice(0, i);
    name = name.slice(i + 1);
  }
  if (name.length > 100 || prefix.length > 155) return undefined;
  if (b.linkname && Buffer.byteLength(b.linkname) > 100) return undefined;
  const buf = Buffer.alloc(512);
  buf.write(name, 0);
  buf.write(octal(b.mode & 0o7777, 6), 100);
  buf.write(octal(b.uid, 6), 108);
  buf.write(octal(b.gid, 6), 116);
  if (b.size.toString(8).length > 11) sizeBase256(b.size, buf, 124);
  else buf.write(octal(b.size, 11), 124);
  buf.write(octal(b.mtime | 0, 11), 136);
  buf[156] = 0x30 + b.typeflag;
  if (b.linkname) buf.write(b.linkname, 157);
  buf.write('ustar\x0000', 257, 'latin1');
  buf.write(octal(0, 6), 329);
  buf.write(octal(0, 6), 337);
  if (prefix) buf.write(prefix, 345);
  buf.write(octal(checksum(buf), 6), 148);
  return buf;
}

function octal(value: number, digits: number): string {
  const text = value.toString(8);
  if (text.length > digits) return `${'7'.repeat(digits)} `;
  return `${'0'.repeat(digits - text.length)}${text} `;
}

function sizeBase256(value: number, buf: Buffer, offset: number): void {
  buf[offset] = 0x80;
  for (let i = 11; i > 0; i--) {
    buf[offset + i] = value & 0xff;
    value = Math.floor(value / 0x100);
  }
}

/** The header's checksum: its bytes summed, the checksum field counted as spaces. */
export function checksum(block: Buffer): number {
  let sum = 8 * 32;
  for (let i = 0; i < 148; i++) sum += block[i]!;
  for (let i = 156; i < 512; i++) sum += block[i]!;
  return sum;
}

/** `<length> key=value\n`, the length counting its own digits (computed as tar-stream does). */
function paxRecord(text: string): string {
  const len = Buffer.byteLength(text);
  let digits = Math.floor(Math.log(len) / Math.log(10)) + 1;
  if (len + digits >= Math.pow(10, digits)) digits++;
  return `${len + digits}${text}`;
}
