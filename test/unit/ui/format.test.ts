import { describe, expect, it } from 'vitest';
import { cleanLine, formatBytes, formatDuration, formatElapsed, formatPercent, formatProgressCount, shortDigest } from '../../../src/ui/format.js';

describe('values as the reporters show them', () => {
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

  it('cleans process output for a fixed-width frame', () => {
    expect(cleanLine('\u001b[32mok\u001b[0m\tdone\r')).toBe('ok  done');
  });

  it('formats byte counts and progress like docker push', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1_234)).toBe('1.23 kB');
    expect(formatBytes(34_500_000)).toBe('34.5 MB');
    expect(formatBytes(1_020_000_000)).toBe('1.02 GB');
    expect(formatPercent(999, 1000)).toBe('99%');
    expect(formatPercent(1000, 1000)).toBe('100%');
    expect(formatProgressCount({ current: 3_100_000, total: 6_900_000, unit: 'bytes' })).toBe('3.10 MB / 6.90 MB (44%)');
    expect(formatProgressCount({ current: 3, total: 7, unit: 'steps' })).toBe('');
  });
});
