import { marked, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { formatPlanMarkdown } from '../../../src/ui/plan/plan-markdown.js';
import { plan } from '../plan/fixtures.js';
import { oneChanged, monorepoConfig } from './monorepo-fixtures.js';

function tables(markdown: string): Tokens.Table[] {
  return marked.lexer(markdown).filter((t): t is Tokens.Table => t.type === 'table');
}
const cells = (t: Tokens.Table) => t.rows.map((r) => r.map((c) => c.text));

describe('plan --format markdown', () => {
  it('a summary line, a table of the changed image × platforms with reasons, the index, the rest counted', () => {
    const md = formatPlanMarkdown(oneChanged());
    expect(md.split('\n')[2]).toMatch(/^\*\*Plan:\*\* 2 to build, 2 to push, 1 index to update, \d+ unchanged\.$/);
    const [images, indexes] = tables(md);
    expect(images!.header.map((h) => h.text)).toEqual(['Image', 'Platform', 'Action', 'Why']);
    expect(cells(images!)).toEqual([
      ['<code>s07</code>', 'linux/amd64', '<code>~</code> rebuild', 'files: modified main.txt'],
      ['<code>s07</code>', 'linux/arm64', '<code>~</code> rebuild', 'files: modified main.txt'],
    ]);
    expect(cells(indexes!)).toEqual([['<code>127.0.0.1:5000/mono/s07:v1</code>', '<code>~</code> update', 'linux/amd64 rebuilt, linux/arm64 rebuilt']]);
    expect(md).toContain('<details><summary>49 images up to date</summary>');
    expect(md).toContain('<details><summary>Refs apply will write (3)</summary>');
    expect(md).toContain('- <code>127.0.0.1:5000/mono/s07:v1-linux-arm64</code>');
    // The cache decision of each build that runs, as the text plan states it.
    expect(md).toContain('<details><summary>Layer cache (2 builds)</summary>');
    expect(md).toMatch(/- <code>s07 linux\/arm64<\/code>: cache: from 127\.0\.0\.1:5000\/mono\/s07@sha256:[0-9a-f]{12}/);
  });

  it('is deterministic', () => {
    expect(formatPlanMarkdown(oneChanged())).toBe(formatPlanMarkdown(oneChanged()));
  });

  it('a plan made without registry state lists every platform as created', () => {
    const md = formatPlanMarkdown(plan(monorepoConfig(3)));
    expect(cells(tables(md)[0]!).map((r) => r.slice(0, 3))).toEqual([
      ['<code>s01</code>', 'linux/amd64', '<code>+</code> create'],
      ['<code>s01</code>', 'linux/arm64', '<code>+</code> create'],
      ['<code>s02</code>', 'linux/amd64', '<code>+</code> create'],
      ['<code>s02</code>', 'linux/arm64', '<code>+</code> create'],
      ['<code>s03</code>', 'linux/amd64', '<code>+</code> create'],
      ['<code>s03</code>', 'linux/arm64', '<code>+</code> create'],
    ]);
  });

  it('stays under the limit, keeps whole rows, and says how much it left out and where the rest is', () => {
    const whole = formatPlanMarkdown(plan(monorepoConfig(50)));
    const cut = formatPlanMarkdown(plan(monorepoConfig(50)), { limit: 3000, fullPlanAt: 'plan.md' });
    expect(whole.length).toBeGreaterThan(3000);
    expect(cut.length).toBeLessThanOrEqual(3000);
    expect(cut).toMatch(/_Cut to fit GitHub's 65,536-character limit: \d+ more lines not shown — the whole plan is in <code>plan\.md<\/code>\._\n$/);
    const rows = cells(tables(cut)[0]!);
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) expect(row).toHaveLength(4);
    expect(formatPlanMarkdown(plan(monorepoConfig(50))).length).toBeLessThanOrEqual(65_536);
  });

  it('escapes what would break a table or inject HTML', () => {
    const p = oneChanged();
    const note = { image: 's07', message: 'a | b <script>\u001b[2J' };
    const md = formatPlanMarkdown({ ...p, notes: [note] });
    expect(md).toContain('a \\| b &lt;script&gt;\\x1b[2J');
  });
});
