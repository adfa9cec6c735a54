/**
 * Temp files in an OCI layout carry the pid of the run that writes them (`.index.json.<pid>-<hex>`,
 * `blobs/.tmp-<pid>-<hex>`): a run killed between write and rename leaves one behind, and the next
 * run that opens the layout removes those whose process is gone — never a live writer's. Edge.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { removeDeadOwnerFiles } from '../sys/run-owner.js';

export function tempSuffix(): string {
  return `${process.pid}-${randomBytes(6).toString('hex')}`;
}

const TEMP_NAME = /^\.(?:index\.json|oci-layout|tmp)[.-](\d+)-[0-9a-f]+$/;

/** Removes the layout's temp files left by processes that no longer run. */
export async function removeDeadTemps(dir: string): Promise<string[]> {
  return [...(await removeDeadOwnerFiles(dir, TEMP_NAME)), ...(await removeDeadOwnerFiles(path.join(dir, 'blobs'), TEMP_NAME))];
}

/**
 * `mkdir -p` one level at a time: Node's recursive mkdir answers ENOENT on a read-only or
 * protected parent, hiding the real reason (EROFS, EACCES) the user has to fix.
 */
export async function makeDirectory(dir: string): Promise<void> {
  const missing: string[] = [];
  let at = path.resolve(dir);
  while (!(await stat(at).then((s) => s.isDirectory(), () => false))) {
    missing.unshift(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const level of missing) {
    await mkdir(level).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}
