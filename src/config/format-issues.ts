/**
 * Config issues as a person reads them: `file:line:col path: message`, the hint, and a small code
 * frame with a caret under the spot, the way compilers and Babel show it. No colour here: the
 * caller decides whether the terminal gets any. Pure.
 */
import { escapeControl } from '../errors/escape-control.js';
import { formatConfigPath, type ConfigIssue } from './issue.js';

/** 1-based line and column, as editors and `file:line:col` links count them. */
export interface SourceLocation {
  readonly line: number;
  readonly column: number;
  /** Absolute path of the file, when it is not the config itself (a helper module it imports). */
  readonly file?: string;
}

export interface LocatedIssue extends ConfigIssue {
  readonly location?: SourceLocation;
}

export interface FormatIssuesOptions {
  /** The config file as the user should see it, usually relative to the cwd. */
  readonly file: string;
  /** The config's source text; without it there is no code frame. */
  readonly source?: string;
  /** Other files locations point into (`location.file`): the name to show and the text for frames. */
  readonly others?: ReadonlyMap<string, { readonly name: string; readonly source?: string }>;
}

/** Lines of source shown before and after the one the caret is on. */
const FRAME_CONTEXT = 1;

export function formatIssue(issue: LocatedIssue, options: FormatIssuesOptions): string[] {
  return layoutIssue(issue, options).map((line) => redactUserinfoIn(escapeControl(line)));
}

/** Credentials typed into a url (`https://user:pass@host`) are shown nowhere, frames included. */
function redactUserinfoIn(line: string): string {
  // After a scheme any userinfo; in a bare quoted string only `user:pass@` (not `web:1@sha256:…`).
  return line
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^@/\s"'`]+@/gi, '$1***@')
    .replace(/(["'`])[^@/\s"'`:]+:[^@/\s"'`]+@(?!sha\d+:)(?=[a-z0-9[])/gi, '$1***@');
}

function layoutIssue(issue: LocatedIssue, options: FormatIssuesOptions): string[] {
  const other = issue.location?.file === undefined ? undefined : options.others?.get(issue.location.file);
  const file = issue.location?.file === undefined ? options.file : (other?.name ?? issue.location.file);
  const source = issue.location?.file === undefined ? options.source : other?.source;
  const where = issue.location ? `${file}:${issue.location.line}:${issue.location.column}` : file;
  // An empty path is the config as a whole (or the file itself, for a syntax error): no label.
  const label = issue.path.length > 0 ? ` ${formatConfigPath(issue.path)}:` : '';
  const lines = [`${where}${label} ${issue.message}`];
  if (issue.hint) lines.push(`  hint: ${issue.hint}`);
  if (issue.location && source !== undefined) {
    lines.push(...codeFrame(source, issue.location).map((l) => `  ${l}`));
  }
  return lines;
}

/** Every issue, a blank line between two when frames make them span several lines. */
export function formatIssues(issues: readonly LocatedIssue[], options: FormatIssuesOptions): string[] {
  const blocks = issues.map((issue) => formatIssue(issue, options));
  const spaced = blocks.some((b) => b.length > 1);
  return blocks.flatMap((block, i) => (spaced && i > 0 ? ['', ...block] : block));
}

/**
 * ```
 *   13 |     platforms: [
 * > 14 |       'linux/arm65',
 *      |       ^
 *   15 |     ],
 * ```
 * Returns nothing when the location is outside the source (a stale or foreign location).
 */
export function codeFrame(source: string, location: SourceLocation): string[] {
  const lines = source.split(/\r\n|\r|\n/);
  const target = lines[location.line - 1];
  if (target === undefined || location.line < 1) return [];
  const first = Math.max(1, location.line - FRAME_CONTEXT);
  const last = Math.min(lines.length, location.line + FRAME_CONTEXT);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = lines[n - 1]!;
    const marker = n === location.line ? '>' : ' ';
    const gutter = `${marker} ${String(n).padStart(width)} |`;
    out.push(text.length > 0 ? `${gutter} ${text}` : gutter);
    if (n === location.line) {
      // Keep tabs so the caret lines up with what the terminal shows above it.
      const lead = target.slice(0, Math.max(0, location.column - 1)).replace(/[^\t]/g, ' ');
      out.push(`  ${' '.repeat(width)} | ${lead}^`);
    }
  }
  return out;
}
