/**
 * One Dockerfile instruction as BuildKit splits it: leading `--name[=value]` flags, then either
 * the JSON form (`["a", "b"]`) or shell-form words (quotes kept, for expansion later), plus the
 * heredoc bodies it owns and the lines it spans. `RUN --mount=…` options are parsed into
 * key/value pairs (`type` defaults to `bind`, as BuildKit's does). Pure.
 */
import { splitWords } from './words.js';

export interface Flag {
  /** Lower case, without the dashes: `from`, `mount`, `chown`, `link`. */
  readonly name: string;
  /** Quotes removed, not expanded; undefined for a bare `--link`. */
  readonly value?: string;
}

export interface Heredoc {
  readonly name: string;
  /** The body, each line ending in a newline (leading tabs stripped for `<<-`). */
  readonly body: string;
  /** false for a quoted marker (`<<'EOF'`): the body is not expanded. */
  readonly expand: boolean;
}

export interface Instruction {
  /** Upper case: `COPY`. */
  readonly keyword: string;
  /** 1-based lines: where it starts and its last line (heredoc bodies included). */
  readonly line: number;
  readonly endLine: number;
  /** Everything after the keyword, continuations joined. */
  readonly text: string;
  readonly flags: readonly Flag[];
  /** The JSON form's strings, when the arguments (after the flags) are a JSON array. */
  readonly json?: readonly string[];
  /** Shell-form words after the flags, quotes kept (JSON form: the strings, quoted). */
  readonly words: readonly string[];
  readonly heredocs: readonly Heredoc[];
  readonly escape: '\\' | '`';
}

/** Keywords whose leading `--` words are flags (elsewhere `--x` is an ordinary argument). */
const TAKES_FLAGS = new Set(['FROM', 'COPY', 'ADD', 'RUN', 'HEALTHCHECK']);

export function parseInstruction(
  keyword: string,
  text: string,
  at: { line: number; endLine: number; escape: '\\' | '`'; heredocs: readonly Heredoc[] },
): Instruction {
  const all = splitWords(text, at.escape);
  const flags: Flag[] = [];
  let i = 0;
  if (TAKES_FLAGS.has(keyword)) {
    for (; i < all.length && all[i]!.startsWith('--'); i++) {
      const word = all[i]!;
      const eq = word.indexOf('=');
      flags.push(eq < 0 ? { name: word.slice(2).toLowerCase() } : { name: word.slice(2, eq).toLowerCase(), value: unquote(word.slice(eq + 1)) });
    }
  }
  const rest = restAfter(text, all.slice(0, i));
  const json = jsonForm(rest);
  const words = json ? json.map((s) => JSON.stringify(s)) : all.slice(i);
  return { keyword, line: at.line, endLine: at.endLine, text: text.trim(), flags, ...(json ? { json } : {}), words, heredocs: at.heredocs, escape: at.escape };
}

/** The value of the last `--name` flag (BuildKit keeps the last), undefined when absent. */
export function flagValue(ins: Instruction, name: string): string | undefined {
  return ins.flags.filter((f) => f.name === name).at(-1)?.value;
}

export function hasFlag(ins: Instruction, name: string): boolean {
  const f = ins.flags.filter((x) => x.name === name).at(-1);
  return f !== undefined && f.value !== 'false';
}

/** `RUN --mount=type=bind,source=x,target=/y` options; `type` defaults to `bind`. */
export function mountsOf(ins: Instruction): Array<Readonly<Record<string, string>>> {
  return ins.flags
    .filter((f) => f.name === 'mount' && f.value !== undefined)
    .map((f) => {
      const options: Record<string, string> = { type: 'bind' };
      for (const part of splitCsv(f.value!)) {
        const eq = part.indexOf('=');
        const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
        const value = eq < 0 ? 'true' : unquote(part.slice(eq + 1).trim());
        // BuildKit's aliases for the same options.
        options[key === 'src' ? 'source' : key === 'dst' || key === 'destination' ? 'target' : key] = value;
      }
      return options;
    });
}

/** Comma-separated, a quoted field may hold commas (BuildKit reads these with encoding/csv). */
function splitCsv(text: string): string[] {
  return [...text.matchAll(/(?:"(?:[^"]|"")*"|[^,])+/g)].map((m) => m[0].replace(/^"(.*)"$/s, '$1').replace(/""/g, '"'));
}

export function unquote(value: string): string {
  return value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]) ? value.slice(1, -1) : value;
}

/** The raw text after the flag words (so the JSON form can be recognised on the original text). */
function restAfter(text: string, flagWords: readonly string[]): string {
  let rest = text.trimStart();
  for (const w of flagWords) rest = rest.slice(rest.indexOf(w) + w.length).trimStart();
  return rest.trim();
}

function jsonForm(rest: string): string[] | undefined {
  if (!rest.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(rest);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}
