/** Text made safe for GitHub-flavoured Markdown tables and `<details>` blocks. Pure. */

/** Text safe inside a table cell: no pipes or line breaks to end it, no HTML, no control characters. */
export function cell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>')
    .replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Code in a cell: `<code>` rather than backticks, which a ref's own characters cannot end. */
export function code(text: string): string {
  return `<code>${cell(text)}</code>`;
}

/** A table: head row, separator, rows (cells already made safe). */
export function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}
