/**
 * Which foreign architectures the local kernel can run, from binfmt_misc: an enabled `qemu-<arch>`
 * handler means an emulated build or test of that arch will work. Edge (reads /proc).
 */
import { readdir, readFile } from 'node:fs/promises';

const BINFMT_DIR = '/proc/sys/fs/binfmt_misc';

export async function detectEmulatedArches(dir = BINFMT_DIR): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return [];
  }
  // Debian's qemu-user-static registers some thirty handlers: read them all at once.
  const handlers = entries.filter((e) => e.startsWith('qemu-')).sort();
  const enabled = await Promise.all(
    handlers.map((entry) =>
      readFile(`${dir}/${entry}`, 'utf8').then(
        (text) => text.startsWith('enabled'),
        () => false, // A handler that vanished or cannot be read is not usable.
      ),
    ),
  );
  return handlers.filter((_, i) => enabled[i]).map((entry) => entry.slice('qemu-'.length));
}
