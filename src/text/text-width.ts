/**
 * Fitting text to a width, for every text output (reporters, plan printers, `init`, `import`):
 * the visible length (colour codes do not count), padding, cutting with `…`, and wrapping plain
 * or styled text at spaces. Pure.
 */

// eslint-disable-next-line no-control-regex
const ANSI_RE = /\u001b\[[0-9;]*m/g;

/** The text without its colour (SGR) codes. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_RE, '');
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
