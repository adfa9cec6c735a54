/** A failed expectOutput is called an "exec format error" only when that is what it is. */
import { describe, expect, it } from 'vitest';
import { expectOutputHint } from '../../../src/exec/steps/test.js';

const arm64 = { os: 'linux', architecture: 'arm64' };
const amd64 = { os: 'linux', architecture: 'amd64' };

describe('expectOutputHint', () => {
  it('a native platform with the wrong output: no exec-format talk', () => {
    const hint = expectOutputHint({ platform: amd64, runs: 'native', expectOutput: 'hello' }, 'x86_64\ngoodbye\n');
    expect(hint).not.toContain('exec format error');
    expect(hint).toContain('"hello"');
  });

  it('an emulated platform whose output names its own architecture: no exec-format talk', () => {
    expect(expectOutputHint({ platform: arm64, runs: 'emulated', expectOutput: 'v2' }, 'aarch64 v1')).not.toContain('exec format error');
  });

  it('an emulated platform whose output names another architecture: the exec format error it would ship', () => {
    const hint = expectOutputHint({ platform: arm64, runs: 'emulated', expectOutput: 'aarch64' }, 'x86_64\n');
    expect(hint).toBe('the linux/arm64 image printed "x86_64": it does not behave like a linux/arm64 image; publishing it would ship an "exec format error"');
  });
});
