/**
 * Reading a path that may not be a file — a config's candidate import, its helper, a Dockerfile
 * it names — where "not there" is an answer, not an error. Edge: reads the file system.
 */
import fs from 'node:fs';

export function isFile(file: string): boolean {
  try {
    // No throw for a missing file (most candidates are); a path through a file still throws.
    return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}

export function readOrUndefined(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
