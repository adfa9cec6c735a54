import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectEmulatedArches } from '../../../src/docker/emulation.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'multiarch-binfmt-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A binfmt_misc-like directory: name → file content (a trailing "/" makes a directory). */
function binfmt(name: string, entries: Record<string, string>): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir);
  for (const [entry, content] of Object.entries(entries)) {
    if (entry.endsWith('/')) fs.mkdirSync(path.join(dir, entry));
    else fs.writeFileSync(path.join(dir, entry), content);
  }
  return dir;
}

const handler = (state: 'enabled' | 'disabled', arch: string) =>
  `${state}\ninterpreter /usr/libexec/qemu-binfmt/${arch}-binfmt-P\nflags: POCF\noffset 0\nmagic 7f454c460201010000000000000000000200b700\n`;

describe('detectEmulatedArches', () => {
  it('lists the enabled qemu handlers by arch, sorted, skipping disabled ones and other entries', async () => {
    const dir = binfmt('mixed', {
      'qemu-riscv64': handler('enabled', 'riscv64'),
      'qemu-aarch64': handler('enabled', 'aarch64'),
      'qemu-arm': handler('disabled', 'arm'),
      'qemu-s390x': handler('enabled', 's390x'),
      status: 'enabled\n',
      register: '',
      'python3.12': handler('enabled', 'python'),
    });
    expect(await detectEmulatedArches(dir)).toEqual(['aarch64', 'riscv64', 's390x']);
  });

  it('skips a handler that cannot be read', async () => {
    const dir = binfmt('unreadable', { 'qemu-aarch64': handler('enabled', 'aarch64'), 'qemu-mips64el/': '' });
    expect(await detectEmulatedArches(dir)).toEqual(['aarch64']);
  });

  it('finds nothing when binfmt_misc is empty or not mounted', async () => {
    expect(await detectEmulatedArches(binfmt('empty', {}))).toEqual([]);
    expect(await detectEmulatedArches(path.join(root, 'missing'))).toEqual([]);
  });
});
