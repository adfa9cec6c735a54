/** The live view's row budget (pure, no rendering, no timing). */
import { describe, expect, it } from 'vitest';
import { fitFrame, type FitEntry } from '../../../src/ui/run/fit-frame.js';

const entry = (name: string, status: FitEntry['status'], fullHeight = 6): FitEntry => ({ name, status, fullHeight });
const many = (n: number, status: FitEntry['status']) => Array.from({ length: n }, (_, i) => entry(`img${i}`, status));

describe('fitFrame', () => {
  it('shows everything in full when it fits', () => {
    const r = fitFrame([entry('a', 'running'), entry('b', 'waiting')], 12);
    expect([...r.full]).toEqual(['a', 'b']);
    expect(r.hidden).toBe(0);
  });

  it('keeps failed and running images full, folds waiting ones, and counts the rest', () => {
    const entries = [...many(28, 'waiting'), entry('run', 'running'), entry('bad', 'failed')];
    const r = fitFrame(entries, 15);
    expect([...r.full].sort()).toEqual(['bad', 'run']);
    expect(r.folded.size).toBe(2);
    expect(r.hidden).toBe(26);
    const rows = [...r.full].length * 6 + r.folded.size + (r.hidden > 0 ? 1 : 0);
    expect(rows).toBeLessThanOrEqual(15);
    expect(r.full.size + r.folded.size + r.hidden).toBe(30);
  });

  it('never exceeds the budget, whatever the mix', () => {
    for (let budget = 0; budget <= 40; budget++) {
      const entries = [...many(20, 'waiting'), ...Array.from({ length: 10 }, (_, i) => entry(`r${i}`, i % 3 ? 'running' : 'failed', 3 + i))];
      const r = fitFrame(entries, budget);
      const rows = entries.filter((e) => r.full.has(e.name)).reduce((s, e) => s + e.fullHeight, 0) + r.folded.size + (r.hidden > 0 ? 1 : 0);
      expect(rows, `budget ${budget}`).toBeLessThanOrEqual(Math.max(budget, 1));
      expect(r.full.size + r.folded.size + r.hidden).toBe(30);
    }
  });

  it('a running image never hides behind waiting ones', () => {
    const r = fitFrame([...many(10, 'waiting'), entry('run', 'running')], 4);
    expect(r.folded.has('run') || r.full.has('run')).toBe(true);
    expect(r.hidden).toBe(8);
  });
});
