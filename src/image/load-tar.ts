/**
 * tar-stream, loaded when an image is first exported, assembled or unpacked: a run that does none
 * of that (a no-op apply, a plan) does not load it at start-up.
 */
import type tarStream from 'tar-stream';

export async function loadTar(): Promise<typeof tarStream> {
  return (await import('tar-stream')).default;
}
