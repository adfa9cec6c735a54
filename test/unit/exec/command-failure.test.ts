import { describe, expect, it } from 'vitest';
import { explainCommandFailure } from '../../../src/exec/steps/command-failure.js';

const amd64 = { os: 'linux', architecture: 'amd64' } as const;
const arm64 = { os: 'linux', architecture: 'arm64' } as const;

describe('explainCommandFailure', () => {
  it('exit 127 from the runtime: the command is not in the image', () => {
    const r = explainCommandFailure({ command: ['true'], exitCode: 127, output: 'docker: Error response from daemon: OCI runtime create failed: exec: "true": executable file not found in $PATH: unknown.', platform: amd64, runs: 'native' });
    expect(r.message).toBe('the command `true` is not in the image for linux/amd64 (exit 127)');
    expect(r.hint).toContain('install it in the image');
  });

  it('exit 127 of a script whose own command is missing is not blamed on the script', () => {
    const r = explainCommandFailure({ command: ['sh', '-c', 'curl x'], exitCode: 127, output: 'sh: curl: not found', platform: amd64, runs: 'native' });
    expect(r.message).toBe('`sh -c curl x` exited 127 on linux/amd64');
  });

  it('exit 126: cannot be run', () => {
    expect(explainCommandFailure({ command: ['/app'], exitCode: 126, output: 'permission denied', platform: amd64 }).message).toBe(
      'the command `/app` cannot be run in the image for linux/amd64 (exit 126: not executable or permission denied)',
    );
  });

  it('exec format error: QEMU/binfmt on an emulated platform, the image itself on a native one', () => {
    const emulated = explainCommandFailure({ command: ['uname'], exitCode: 1, output: 'exec /bin/uname: exec format error', platform: arm64, runs: 'emulated' });
    expect(emulated.message).toContain('exec format error');
    expect(emulated.hint).toContain('QEMU');
    expect(emulated.hint).toContain('binfmt_misc/qemu-aarch64');
    const native = explainCommandFailure({ command: ['uname'], exitCode: 1, output: 'exec /bin/uname: exec format error', platform: amd64, runs: 'native' });
    expect(native.hint).not.toContain('QEMU');
    expect(native.hint).toContain('binaries for another architecture');
  });

  it('any other exit code: what ran and how it ended', () => {
    expect(explainCommandFailure({ command: ['sh', '-c', 'exit 3'], exitCode: 3, output: '', platform: amd64 })).toEqual({ message: '`sh -c exit 3` exited 3 on linux/amd64' });
  });
});
