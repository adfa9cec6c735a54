/**
 * A Dockerfile as a list of instructions: parser directives (`# syntax=`, `# escape=`) read from
 * the top, comments dropped, line continuations joined, heredoc bodies skipped, each instruction's
 * arguments split into words. Enough for finding base images, not a full parser. Pure.
 */
import { splitWords } from '../dockerfile/words.js';

export interface Instruction {
  readonly keyword: string;
  readonly args: readonly string[];
  /** The arguments as written (continuations joined): JSON forms and ENV/LABEL values need them. */
  readonly raw: string;
  /** 1-based line where it starts. */
  readonly line: number;
}

export interface DockerfileInstructions {
  readonly instructions: readonly Instruction[];
  /** The `# syntax=` frontend image, when there is one. */
  readonly syntax?: string;
  readonly escape: string;
}

export function readInstructions(text: string): DockerfileInstructions {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let escape = '\\';
  let syntax: string | undefined;
  let i = 0;
  // Parser directives: only at the very top, before any other line.
  for (; i < lines.length; i++) {
    const m = /^\s*#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.*?)\s*$/.exec(lines[i]!);
    if (!m) break;
    const key = m[1]!.toLowerCase();
    if (key === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2];
    else if (key === 'syntax') syntax = m[2];
  }
  const instructions: Instruction[] = [];
  while (i < lines.length) {
    const start = i;
    const raw = lines[i++]!;
    if (/^\s*(#|$)/.test(raw)) continue;
    let joined = raw;
    while (endsWithEscape(joined, escape) && i < lines.length) {
      joined = joined.replace(/\s*$/, '').slice(0, -1);
      // Comment and empty lines inside a continuation are skipped.
      while (i < lines.length && /^\s*(#|$)/.test(lines[i]!)) i++;
      if (i < lines.length) joined += lines[i++];
    }
    const m = /^\s*(\S+)\s*(.*)$/s.exec(joined);
    if (!m) continue;
    const keyword = m[1]!.toUpperCase();
    instructions.push({ keyword, args: splitWords(m[2]!, escape), raw: m[2]!.trim(), line: start + 1 });
    if (keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD') i = skipHeredocs(joined, lines, i);
  }
  return { instructions, ...(syntax ? { syntax } : {}), escape };
}

function endsWithEscape(line: string, escape: string): boolean {
  return line.replace(/\s*$/, '').endsWith(escape);
}

/** Lines after index `next` that are heredoc bodies of this instruction; returns the first line after them. */
function skipHeredocs(instruction: string, lines: readonly string[], next: number): number {
  let i = next;
  for (const m of instruction.matchAll(/<<(-?)\s*(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g)) {
    const strip = m[1] === '-';
    const word = m[3]!;
    while (i < lines.length) {
      const line = strip ? lines[i]!.replace(/^\t+/, '') : lines[i]!;
      i++;
      if (line === word) break;
    }
  }
  return i;
}
