/**
 * Why a test command failed, in words a user can act on: the shell's and the runtime's exit codes
 * 126/127 mean the command could not be started at all, and "exec format error" means a binary
 * for another CPU — which on an emulated platform is QEMU/binfmt's business. Pure.
 */
import { formatPlatform, qemuArch, type Platform } from '../../config/platform.js';

export interface CommandFailure {
  readonly command: readonly string[];
  readonly exitCode: number;
  readonly output: string;
  readonly platform: Platform;
  /** How the platform runs here (a build node's `runs`). */
  readonly runs?: 'native' | 'emulated' | 'no-emulator';
}

export interface FailureText {
  readonly message: string;
  readonly hint?: string;
}

export function explainCommandFailure(failure: CommandFailure): FailureText {
  const platform = formatPlatform(failure.platform);
  const shown = `\`${failure.command.join(' ')}\``;
  const program = failure.command[0] ?? '';
  if (/exec format error/i.test(failure.output) || failure.runs === 'no-emulator') {
    const emulated = failure.runs !== 'native';
    return {
      message: `${shown} exited ${failure.exitCode} on ${platform}: exec format error (a binary for another CPU)`,
      hint: emulated
        ? `this machine runs ${platform} binaries through QEMU: install qemu-user-static and binfmt-support and check /proc/sys/fs/binfmt_misc/qemu-${qemuArch(failure.platform)} is enabled (or: docker run --privileged --rm tonistiigi/binfmt --install all)`
        : `the image holds binaries for another architecture than ${platform}: check FROM and the files COPY'd for ${platform} (e.g. \${TARGETARCH} in their names)`,
    };
  }
  if (failure.exitCode === 127 && notFound(failure.output, program)) {
    return {
      message: `the command \`${program}\` is not in the image for ${platform} (exit 127)`,
      hint: `install it in the image, give its full path, or change test.command (the image's PATH is searched; ${shown} was run as the entrypoint is not)`,
    };
  }
  if (failure.exitCode === 126) {
    return {
      message: `the command \`${program}\` cannot be run in the image for ${platform} (exit 126: not executable or permission denied)`,
      hint: 'check its mode (chmod +x) and that it is a program, not a directory or a script without a #! line',
    };
  }
  return { message: `${shown} exited ${failure.exitCode} on ${platform}` };
}

/**
 * Exit 127 is also what a script returns when a command inside it is missing; the runtime's own
 * messages (and a shell's "not found" for the program itself) say it was the program.
 */
function notFound(output: string, program: string): boolean {
  if (/executable file not found|no such file or directory|OCI runtime (create|exec) failed/i.test(output)) return true;
  return output.includes(`${program}: not found`) || output.trim() === '';
}
