/** Small text helpers shared by every reporter and the plan printer: durations, digests, widths. Pure. */
import { stripAnsi } from './color.js';

/** `0.4s`, `12.3s`, `1m02s`, `1h05m`. */
export function formatDuration(ms: number): string {
  const safe = Math.max(0, ms);
  if (safe < 60_000) return `${(Math.floor(safe / 100) / 10).toFixed(1)}s`;
  const totalSeconds = Math.floor(safe / 1000);
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)}m${pad2(totalSeconds % 60)}s`;
  const minutes = Math.floor(totalSeconds / 60);
  return `${Math.floor(minutes / 60)}h${pad2(minutes % 60)}m`;
}

/** Whole seconds for things still running (no flicker of tenths): `7s`, `1m02s`. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return seconds < 60 ? `${seconds}s` : formatDuration(seconds * 1000);
}

/** `HH:MM:SS` in local time. */
export function formatClock(at: number): string {
  const d = new Date(at);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** `sha256:abcd1234ef56`: the algorithm and the first 12 hex digits. */
export function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.includes(':') ? digest.split(':', 2) : ['sha256', digest];
  return `${algorithm}:${(hex ?? '').slice(0, 12)}`;
}

export function visibleLength(text: string): number {
  return [...stripAnsi(text)].length;
}

/** Pads to a visible width (ANSI codes do not count). */
export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleLength(text)));
}

/** Cuts plain text to `width` characters, ending with `…` when it had to cut. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return chars.slice(0, Math.max(0, width)).join('');
  return `${chars.slice(0, width - 1).join('')}…`;
}

/**
 * Wraps plain text at spaces to `width`, every line starting with `indent`; a word longer than
 * the line is broken hard (refs, paths).
 */
export function wrapText(text: string, width: number, indent = ''): string[] {
  const room = Math.max(8, width - indent.length);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      let rest = word;
      while (visibleLength(rest) > room) {
        if (line) lines.push(line);
        line = '';
        const chars = [...rest];
        lines.push(chars.slice(0, room).join(''));
        rest = chars.slice(room).join('');
      }
      const candidate = line ? `${line} ${rest}` : rest;
      if (visibleLength(candidate) > room) {
        lines.push(line);
        line = rest;
      } else {
        line = candidate;
      }
    }
    lines.push(line);
  }
  return lines.map((l) => indent + l);
}

/** `1 build`, `2 builds`. */
export function plural(count: number, noun: string, pluralForm = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralForm}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** A process's line made safe for a fixed-width frame: no colour codes, tabs or carriage returns. */
export function cleanLine(line: string): string {
  return stripAnsi(line)
    .replace(/\t/g, '  ')
    .replace(/\r/g, '');
}

/** `512 B`, `1.2 kB`, `34.5 MB`, `1.02 GB`: decimal units, as `docker push` prints them. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** `45%` of a step's progress (never 100% until it is really all there). */
export function formatPercent(current: number, total: number): string {
  if (total <= 0) return '';
  const percent = Math.floor((Math.min(current, total) / total) * 100);
  return `${current < total ? Math.min(99, percent) : 100}%`;
}

/** What a progress count adds to a step's message: bytes sent of the total for pushes. */
export function formatProgressCount(progress: { readonly current: number; readonly total: number; readonly unit?: string } | undefined): string {
  if (!progress || progress.unit !== 'bytes') return '';
  return `${formatBytes(progress.current)} / ${formatBytes(progress.total)} (${formatPercent(progress.current, progress.total)})`;
}

/** A run of text in one style, for wrapSegments. */
export interface Segment {
  readonly text: string;
  readonly style?: (text: string) => string;
}

/**
 * Wraps styled text to `width` columns at spaces: the first line starts with `indent`, the others
 * with `hang`. Each word keeps its segment's style, applied per line (no colour runs across a line
 * break). A word too long for a line (a ref) is cut after a `/` or `:` where it can be.
 */
export function wrapSegments(segments: readonly Segment[], width: number, indent = '', hang = indent): string[] {
  const identity = (text: string) => text;
  const words: Array<{ text: string; style: (text: string) => string; space: number }> = [];
  for (const segment of segments) {
    segment.text.split(/( +)/).forEach((part, i) => {
      if (part === '') return;
      if (i % 2 === 1) {
        if (words.length > 0) words[words.length - 1]!.space += part.length;
        return;
      }
      words.push({ text: part, style: segment.style ?? identity, space: 0 });
    });
  }
  type Piece = { gap: number; text: string; style: (text: string) => string };
  const lines: Array<{ lead: string; pieces: Piece[] }> = [{ lead: indent, pieces: [] }];
  let used = visibleLength(indent);
  let pending = 0;
  const newLine = () => {
    lines.push({ lead: hang, pieces: [] });
    used = visibleLength(hang);
    pending = 0;
  };
  const put = (text: string, style: Piece['style'], gap: number) => {
    lines.at(-1)!.pieces.push({ gap, text, style });
    used += gap + [...text].length;
  };
  for (const word of words) {
    let text = word.text;
    const fresh = lines.at(-1)!.pieces.length === 0;
    const gap = fresh ? 0 : pending;
    if (!fresh && gap + [...text].length > width - used) newLine();
    let room = width - used - (lines.at(-1)!.pieces.length === 0 ? 0 : gap);
    while ([...text].length > room && room > 0) {
      const chars = [...text];
      const head = chars.slice(0, room).join('');
      const cut = Math.max(head.lastIndexOf('/'), head.lastIndexOf(':'));
      const take = cut > 0 ? cut + 1 : room;
      put(chars.slice(0, take).join(''), word.style, lines.at(-1)!.pieces.length === 0 ? 0 : gap);
      text = chars.slice(take).join('');
      newLine();
      room = width - used;
    }
    put(text, word.style, lines.at(-1)!.pieces.length === 0 ? 0 : gap);
    pending = word.space;
  }
  return lines.map(({ lead, pieces }) => {
    let out = lead;
    let run = '';
    let style: Piece['style'] | undefined;
    for (const piece of pieces) {
      if (piece.style === style) {
        run += ' '.repeat(piece.gap) + piece.text;
        continue;
      }
      if (style) out += style(run);
      out += ' '.repeat(piece.gap);
      run = piece.text;
      style = piece.style;
    }
    if (style) out += style(run);
    return out.trimEnd();
  });
}
