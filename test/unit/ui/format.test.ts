import { describe, expect, it } from 'vitest';
import { cleanLine, formatDuration, formatElapsed, padEnd, shortDigest, truncate, wrapText } from '../../../src/ui/format.js';

describe('format helpers', () => {
  it('formats durations for people', () => {
    expect(formatDuration(420)).toBe('0.4s');
    expect(formatDuration(12_345)).toBe('12.3s');
    expect(formatDuration(62_000)).toBe('1m02s');
    expect(formatDuration(3_900_000)).toBe('1h05m');
    expect(formatElapsed(7_900)).toBe('7s');
    expect(formatElapsed(62_000)).toBe('1m02s');
  });

  it('shortens digests to algorithm and 12 hex digits', () => {
    expect(shortDigest(`sha256:abcd1234ef56${'0'.repeat(52)}`)).toBe('sha256:abcd1234ef56');
  });

  it('truncates, pads and wraps to a width', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(padEnd('\u001b[31mab\u001b[39m', 4)).toBe('\u001b[31mab\u001b[39m  ');
    const wrapped = wrapText('one two three four five six seven', 16, '  ');
    expect(wrapped).toEqual(['  one two three', '  four five six', '  seven']);
    for (const line of wrapText('x'.repeat(50), 20, '  ')) expect(line.length).toBeLessThanOrEqual(20);
  });

  it('cleans process output for a fixed-width frame', () => {
    expect(cleanLine('\u001b[32mok\u001b[0m\tdone\r')).toBe('ok  done');
  });
});
