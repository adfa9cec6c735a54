import { describe, expect, it } from 'vitest';
import { createStyle } from '../../../src/ui/color.js';
import { formatPlanChanges } from '../../../src/ui/plan/plan-changes.js';
import { foldedLine } from '../../../src/ui/plan/plan-fold.js';
import { names, oneChanged } from './monorepo-fixtures.js';

describe('the text plan at monorepo scale', () => {
  it('shows the one changed image in detail and folds the 49 others into one line', () => {
    const text = formatPlanChanges(oneChanged(), { color: false });
    const lines = text.split('\n');
    // 25, plus each rebuilt build's `cache: from …` line (issue 15).
    expect(lines.length).toBeLessThanOrEqual(27);
    expect(text).toContain('\ns07  (linux/amd64, linux/arm64)\n');
    expect(text).toContain('files: modified main.txt');
    expect(text).toMatch(/^ {2}= 49 images up to date: s01, s02, .*, … \(--verbose to list\)$/m);
    expect(text).not.toMatch(/^s0[1-68]\b/m);
    expect(lines.at(-1)).toMatch(/^Plan: 2 to build, 2 to push, 1 index to update, \d+ unchanged\.$/);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
  });

  it('--verbose lists every image as before', () => {
    const text = formatPlanChanges(oneChanged(), { color: false, verbose: true });
    for (const name of names) expect(text).toContain(`\n${name}  (linux/amd64, linux/arm64)\n`);
    expect(text).not.toContain('images up to date:');
  });

  it('the folded line lists as many names as fit and never cuts one', () => {
    const style = createStyle(false);
    expect(foldedLine(['a', 'b'], 80, style)).toBe('  = 2 images up to date: a, b');
    const long = foldedLine(names, 60, style);
    expect(long.length).toBeLessThanOrEqual(60);
    expect(long).toMatch(/^ {2}= 50 images up to date: s01(, s\d\d)*, … \(--verbose to list\)$/);
    expect(foldedLine(['a-very-long-image-name-that-does-not-fit', 'b'], 40, style)).toContain('a-very-long-image-name-that-does-not-fit, …');
  });
});
