import { describe, expect, it } from 'vitest';
import { createStyle, isCI, shouldUseColor } from '../../../src/ui/color.js';
import { stripAnsi } from '../../../src/text/text-width.js';

describe('shouldUseColor', () => {
  it('colours a TTY and nothing else', () => {
    expect(shouldUseColor({ isTTY: true, env: {} })).toBe(true);
    expect(shouldUseColor({ isTTY: false, env: {} })).toBe(false);
  });

  it('turns colour off with NO_COLOR, whatever its value', () => {
    for (const value of ['1', '0', 'false', 'yes']) expect(shouldUseColor({ isTTY: true, env: { NO_COLOR: value } })).toBe(false);
    // no-color.org: an empty NO_COLOR is the same as none.
    expect(shouldUseColor({ isTTY: true, env: { NO_COLOR: '' } })).toBe(true);
  });

  it('turns colour off in CI, unless CI is explicitly false', () => {
    expect(shouldUseColor({ isTTY: true, env: { CI: 'true' } })).toBe(false);
    expect(shouldUseColor({ isTTY: true, env: { CI: '1' } })).toBe(false);
    expect(shouldUseColor({ isTTY: true, env: { CI: 'false' } })).toBe(true);
    expect(isCI({ CI: 'woodpecker' })).toBe(true);
    expect(isCI({})).toBe(false);
  });

  it('FORCE_COLOR forces colour on (off for 0/false), even off a TTY, in CI and with NO_COLOR', () => {
    expect(shouldUseColor({ isTTY: false, env: { FORCE_COLOR: '1' } })).toBe(true);
    expect(shouldUseColor({ isTTY: false, env: { FORCE_COLOR: '' } })).toBe(true);
    expect(shouldUseColor({ isTTY: true, env: { FORCE_COLOR: '1', CI: 'true', NO_COLOR: '1' } })).toBe(true);
    expect(shouldUseColor({ isTTY: true, env: { FORCE_COLOR: '0' } })).toBe(false);
    expect(shouldUseColor({ isTTY: true, env: { FORCE_COLOR: 'false' } })).toBe(false);
  });

  it('an explicit --color / --no-color flag wins over everything', () => {
    expect(shouldUseColor({ isTTY: true, env: { FORCE_COLOR: '1' }, flag: false })).toBe(false);
    expect(shouldUseColor({ isTTY: false, env: { NO_COLOR: '1', CI: 'true' }, flag: true })).toBe(true);
  });

  it('treats TERM=dumb as no colour', () => {
    expect(shouldUseColor({ isTTY: true, env: { TERM: 'dumb' } })).toBe(false);
  });
});

describe('createStyle', () => {
  it('is the identity when colour is off', () => {
    const style = createStyle(false);
    for (const fn of [style.bold, style.dim, style.red, style.green, style.yellow, style.cyan]) expect(fn('text')).toBe('text');
  });

  it('wraps text in SGR codes when colour is on, and stripAnsi undoes it', () => {
    const style = createStyle(true);
    expect(style.red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(style.bold(style.green('ok'))).toContain('\u001b[1m');
    expect(stripAnsi(style.bold(style.green('ok')))).toBe('ok');
    expect(style.red('')).toBe('');
  });
});
