/** Docker CLI helpers for e2e tests. */
import { execa } from 'execa';
import { pinPlatform } from './registry.js';

export interface DockerOptions {
  readonly cwd?: string;
  readonly input?: string;
  readonly env?: Record<string, string>;
  /** Default 5 minutes. */
  readonly timeoutMs?: number;
}

/** Run `docker …args` and return its stdout (final newline stripped); throws with stderr on failure. */
export async function docker(args: readonly string[], options: DockerOptions = {}): Promise<string> {
  const result = await execa('docker', args, {
    reject: false,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
    timeout: options.timeoutMs ?? 300_000,
  });
  if (result.exitCode !== 0 || result.timedOut) {
    const why = result.timedOut ? 'timed out' : `exit ${result.exitCode}`;
    throw new Error(`docker ${args.join(' ')} failed (${why}):\n${result.stderr}`);
  }
  return result.stdout;
}

/**
 * `docker run --rm --platform <platform> <image> …cmd`, returning stdout. A registry image that is
 * a multi-arch index is pinned to its child for `platform` (repo@digest) first, so concurrent runs
 * of one tag for different platforms cannot pick up each other's pulls.
 */
export async function dockerRunPlatform(image: string, platform: string, cmd: readonly string[], options: DockerOptions = {}): Promise<string> {
  const ref = isRegistryRef(image) ? await pinPlatform(image, platform) : image;
  return docker(['run', '--rm', '--platform', platform, ref, ...cmd], options);
}

/** `host:port/…` or `host.with.dots/…`: lives in a registry we can ask directly. */
function isRegistryRef(image: string): boolean {
  const first = image.split('/')[0] ?? '';
  return image.includes('/') && (first.includes(':') || first.includes('.') || first === 'localhost');
}

/** Remove local images, ignoring ones that do not exist. */
export async function removeImages(...refs: string[]): Promise<void> {
  if (refs.length === 0) return;
  await execa('docker', ['image', 'rm', '--force', ...refs], { reject: false, stdin: 'ignore' });
}
