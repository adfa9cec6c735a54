import { describe, expect, it } from 'vitest';
import { padEnd, stripAnsi, truncate, wrapSegments, wrapText } from '../../../src/text/text-width.js';
import { plural } from '../../../src/text/plural.js';

describe('text fitted to a width', () => {
  it('truncates, pads and wraps to a width', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(padEnd('\u001b[31mab\u001b[39m', 4)).toBe('\u001b[31mab\u001b[39m  ');
    const wrapped = wrapText('one two three four five six seven', 16, '  ');
    expect(wrapped).toEqual(['  one two three', '  four five six', '  seven']);
    for (const line of wrapText('x'.repeat(50), 20, '  ')) expect(line.length).toBeLessThanOrEqual(20);
  });

  it('measures and strips colour codes, and counts with their noun', () => {
    expect(stripAnsi('\u001b[1m\u001b[32mok\u001b[39m\u001b[22m')).toBe('ok');
    expect(plural(1, 'build')).toBe('1 build');
    expect(plural(3, 'build')).toBe('3 builds');
    expect(plural(2, 'index', 'indexes')).toBe('2 indexes');
  });

  it('wraps styled segments without running a style across lines', () => {
    const red = (t: string) => `<${t}>`;
    expect(wrapSegments([{ text: 'one two  ' }, { text: 'three four', style: red }], 12, '- ', '    ')).toEqual(['- one two', '    <three>', '    <four>']);
    expect(wrapSegments([{ text: 'host:5000/org/repository:tag' }], 16, '', '  ')).toEqual(['host:5000/org/', '  repository:tag']);
  });
});
