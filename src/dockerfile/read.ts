/**
 * The one Dockerfile reader: parser directives (`# syntax=`, `# escape=`, `# check=`) from the top,
 * comment lines dropped (also inside continuations), line continuations joined the way BuildKit
 * joins them, heredoc bodies (`<<EOF`, `<<-EOF`, `<<"EOF"`) attached to their instruction, and each
 * instruction's flags, JSON or shell form and words split (see instruction.ts), with the exact
 * lines it spans. Used for base images, failing-line mapping and the files a build reads. Pure.
 *
 * Why not `dockerfile-ast` (npm): it is an editor's AST (ranges for a language server, pulls in
 * vscode-languageserver-types) and leaves out what decides correctness here — BuildKit's variable
 * scoping (global `ARG`s before `FROM`, per-stage `ARG`/`ENV`, `ENV` inherited from a parent stage,
 * `${VAR:+x}`), `--mount` option parsing and stage reachability. Those would have to be written on
 * top of it anyway; the lexing it would save is ~100 lines, checked against a corpus in
 * test/unit/dockerfile/ and against BuildKit's own step list in test/e2e/dockerfile-corpus.test.ts.
 */
import { parseInstruction, type Instruction } from './instruction.js';

export type { Flag, Heredoc, Instruction } from './instruction.js';

export interface Dockerfile {
  readonly instructions: readonly Instruction[];
  /** The `# syntax=` frontend image, when there is one. */
  readonly syntax?: string;
  readonly escape: '\\' | '`';
}

/** A Dockerfile is read once however many platforms and callers use it. */
const cache = new Map<string, Dockerfile>();

export function readDockerfile(text: string): Dockerfile {
  const known = cache.get(text);
  if (known) return known;
  const read = readUncached(text);
  if (cache.size < 1_000) cache.set(text, read);
  return read;
}

function readUncached(text: string): Dockerfile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let escape: '\\' | '`' = '\\';
  let syntax: string | undefined;
  let i = 0;
  // Parser directives: only at the very top; any other line (even an empty one) ends them.
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
    if (isCommentOrEmpty(raw)) continue;
    let joined = raw;
    while (endsWithEscape(joined, escape) && i < lines.length) {
      joined = joined.replace(/\s*$/, '').slice(0, -1);
      while (i < lines.length && isCommentOrEmpty(lines[i]!)) i++;
      if (i < lines.length) joined += lines[i++];
    }
    const m = /^\s*(\S+)\s*(.*)$/s.exec(joined);
    if (!m) continue;
    const keyword = m[1]!.toUpperCase();
    const heredocs = keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD' ? heredocMarkers(m[2]!) : [];
    const bodies: Array<{ name: string; body: string; expand: boolean }> = [];
    for (const marker of heredocs) {
      const body: string[] = [];
      while (i < lines.length) {
        const line = marker.strip ? lines[i]!.replace(/^\t+/, '') : lines[i]!;
        i++;
        if (line === marker.name) break;
        body.push(line);
      }
      bodies.push({ name: marker.name, body: body.length ? `${body.join('\n')}\n` : '', expand: marker.expand });
    }
    instructions.push(parseInstruction(keyword, m[2]!, { line: start + 1, endLine: i, escape, heredocs: bodies }));
  }
  return { instructions, ...(syntax ? { syntax } : {}), escape };
}

function isCommentOrEmpty(line: string): boolean {
  return /^\s*(#|$)/.test(line);
}

function endsWithEscape(line: string, escape: string): boolean {
  return line.replace(/\s*$/, '').endsWith(escape);
}

/** `<<EOF`, `<<-EOF`, `<<'EOF'`, `<<"EOF"` outside quoted spans, in order. */
function heredocMarkers(args: string): Array<{ name: string; strip: boolean; expand: boolean }> {
  const out: Array<{ name: string; strip: boolean; expand: boolean }> = [];
  // Quoted spans are matched (and passed over) so a `<<` inside quotes is no marker.
  for (const m of args.matchAll(/(<{2,3})(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\3|"(?:[^"\\]|\\.)*"|'[^']*'/g)) {
    // `<<<` is a here-string, not a heredoc.
    if (m[1] !== '<<') continue;
    out.push({ name: m[4]!, strip: m[2] === '-', expand: m[3] === '' });
  }
  return out;
}
