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
  const arches: string[] = [];
  for (const entry of entries.filter((e) => e.startsWith('qemu-')).sort()) {
    try {
      const text = await readFile(`${dir}/${entry}`, 'utf8');
      if (text.startsWith('enabled')) arches.push(entry.slice('qemu-'.length));
    } catch {
      // A handler that vanished or cannot be read is not usable.
    }
  }
  return arches;
}
