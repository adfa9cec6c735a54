import { describe, expect, it } from 'vitest';
import { formatPlatform, parsePlatform, unameMachine } from '../../../src/config/platform.js';

const canonical = (input: string) => {
  const r = parsePlatform(input);
  return r.ok ? formatPlatform(r.platform) : r.message;
};

describe('parsePlatform', () => {
  it.each([
    ['linux/amd64', 'linux/amd64'],
    ['arm64/v8', 'linux/arm64'],
    ['linux/arm64/v8', 'linux/arm64'],
    ['aarch64', 'linux/arm64'],
    ['x86_64', 'linux/amd64'],
    ['arm', 'linux/arm/v7'],
    ['linux/arm', 'linux/arm/v7'],
    ['arm/v6', 'linux/arm/v6'],
    ['armhf', 'linux/arm/v7'],
    ['i386', 'linux/386'],
    [' Linux/AMD64 ', 'linux/amd64'],
  ])('reads %j as %s', (input, expected) => {
    expect(canonical(input)).toBe(expected);
  });

  it('suggests the closest platform for a typo', () => {
    expect(parsePlatform('linux/arm65')).toEqual({
      ok: false,
      message: '"linux/arm65" is not a platform — did you mean "linux/arm64"?',
      suggestion: 'linux/arm64',
    });
  });

  it.each(['windows/amd64', 'linux/amd64/v9/x', 'linux/', 'constructor', 'linux/constructor'])('rejects %j', (input) => {
    expect(parsePlatform(input).ok).toBe(false);
  });

  it('knows what uname -m prints on each platform', () => {
    const uname = (p: string) => {
      const r = parsePlatform(p);
      if (!r.ok) throw new Error(r.message);
      return unameMachine(r.platform);
    };
    expect(['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/arm/v6'].map(uname)).toEqual(['x86_64', 'aarch64', 'armv7l', 'armv6l']);
  });
});
