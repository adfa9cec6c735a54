/**
 * Text edits that add one entry to an object or array literal the way its author would: on its
 * own line, indented like its siblings, before the closing bracket's line, with the list's
 * trailing-comma habit, leaving comments where they are; or inline for a one-line list. Edits are
 * splices of the original text, so nothing else in the file moves. Pure.
 */
import type * as TsMorph from 'ts-morph';
import type { CodeStyle } from './print-ts.js';

export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Applies non-overlapping edits (any order) to `source`. */
export function applyEdits(source: string, edits: readonly TextEdit[]): string {
  let out = source;
  for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return out;
}

export interface SourceStyle extends CodeStyle {
  readonly eol: '\n' | '\r\n';
}

type List = TsMorph.ArrayLiteralExpression | TsMorph.ObjectLiteralExpression;

/** Renders an entry for a line that starts with `indent` (its later lines must carry it too). */
export type EntryText = (indent: string) => string;

/** Adds entries at the end of `list`. */
export function appendEntries(list: List, entries: readonly EntryText[], style: SourceStyle): TextEdit[] {
  if (entries.length === 0) return [];
  const source = list.getSourceFile().getFullText();
  const items: TsMorph.Node[] = 'getElements' in list ? list.getElements() : list.getProperties();
  const open = list.getStart();
  const close = list.getEnd() - 1;
  const last = items.at(-1);
  const afterLast = last ? last.getEnd() : open + 1;
  const trailingComma = last !== undefined && /^,/.test(stripComments(source.slice(afterLast, close)).trimStart());
  const closeLineStart = source.lastIndexOf('\n', close - 1) + 1;
  const closeAlone = source.slice(closeLineStart, close).trim() === '';
  const multiLine = source.slice(open, close).includes('\n');

  if (multiLine && closeAlone) {
    // A new line just above the closing bracket's: after any trailing comment of the last entry.
    const closeIndent = source.slice(closeLineStart, close);
    const indent = last ? lineIndent(source, last.getStart()) : closeIndent + style.indent;
    const comma = last ? trailingComma : style.trailingComma;
    const edits: TextEdit[] = [];
    if (last && !trailingComma) edits.push({ start: afterLast, end: afterLast, text: ',' });
    const lines = entries.map((entry, i) => `${indent}${entry(indent)}${i < entries.length - 1 || comma ? ',' : ''}${style.eol}`);
    edits.push({ start: closeLineStart, end: closeLineStart, text: lines.join('').replace(/\r?\n/g, style.eol) });
    return edits;
  }
  const indent = last ? lineIndent(source, last.getStart()) : lineIndent(source, open) + style.indent;
  const rendered = entries.map((entry) => entry(indent)).join(', ').replace(/\r?\n/g, style.eol);
  if (!last) {
    const pad = 'getElements' in list ? '' : ' ';
    return [{ start: open + 1, end: close, text: `${pad}${rendered}${pad}` }];
  }
  if (trailingComma) {
    const comma = source.indexOf(',', afterLast);
    return [{ start: comma + 1, end: comma + 1, text: ` ${rendered},` }];
  }
  return [{ start: afterLast, end: afterLast, text: `, ${rendered}` }];
}

/** The whitespace the line holding `position` starts with. */
export function lineIndent(source: string, position: number): string {
  const start = source.lastIndexOf('\n', position - 1) + 1;
  return /^[ \t]*/.exec(source.slice(start))![0];
}

/** `text` with its comments removed (between two tokens only: no strings to mind). */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
}

/**
 * The file's habits: its more common quote, its indentation unit (the smallest indentation of an
 * indented line; a tab when lines start with tabs), its line ending, and whether multi-line
 * lists end with a comma.
 */
export function detectStyle(sourceFile: TsMorph.SourceFile, tm: typeof TsMorph): SourceStyle {
  const text = sourceFile.getFullText();
  let single = 0;
  let double = 0;
  for (const literal of sourceFile.getDescendantsOfKind(tm.SyntaxKind.StringLiteral)) {
    if (tm.Node.isImportDeclaration(literal.getParent())) continue;
    if (literal.getText().startsWith('"')) double++;
    else single++;
  }
  const indents = text
    .split(/\r?\n/)
    .filter((l) => !/^\s*\*/.test(l))
    .map((l) => /^[ \t]+(?=\S)/.exec(l)?.[0])
    .filter((i): i is string => i !== undefined);
  const tabs = indents.filter((i) => i.startsWith('\t')).length;
  const spaces = indents.filter((i) => i.startsWith(' ')).map((i) => i.length);
  const indent = tabs > spaces.length ? '\t' : ' '.repeat(spaces.length ? Math.min(...spaces) : 2);
  let withComma = 0;
  let without = 0;
  for (const list of [...sourceFile.getDescendantsOfKind(tm.SyntaxKind.ObjectLiteralExpression), ...sourceFile.getDescendantsOfKind(tm.SyntaxKind.ArrayLiteralExpression)]) {
    const items: TsMorph.Node[] = tm.Node.isArrayLiteralExpression(list) ? list.getElements() : list.getProperties();
    const last = items.at(-1);
    if (!last || !text.slice(list.getStart(), list.getEnd()).includes('\n')) continue;
    if (/^,/.test(stripComments(text.slice(last.getEnd(), list.getEnd() - 1)).trimStart())) withComma++;
    else without++;
  }
  return {
    quote: double > single ? '"' : "'",
    indent,
    trailingComma: withComma >= without,
    width: 100,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

/**
 * Adds an entry on its own line above `sibling` and the comments that lead it, when `sibling`
 * starts its line; undefined otherwise (the caller appends instead).
 */
export function insertAbove(sibling: TsMorph.Node, entry: EntryText, style: SourceStyle): TextEdit[] | undefined {
  const source = sibling.getSourceFile().getFullText();
  const first = sibling.getLeadingCommentRanges()[0]?.getPos() ?? sibling.getStart();
  const lineStart = source.lastIndexOf('\n', first - 1) + 1;
  if (source.slice(lineStart, first).trim() !== '') return undefined;
  const indent = lineIndent(source, first);
  return [{ start: lineStart, end: lineStart, text: `${indent}${entry(indent)},${style.eol}`.replace(/\r?\n/g, style.eol) }];
}
