/**
 * The git repository a file belongs to, found the way git does: the nearest folder upwards holding
 * `.git` (a folder, or a file in worktrees and submodules). CI checks the repository out at that
 * root, so workflow files and the paths in them are relative to it. Edge: reads the file system.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The repository root above (or at) `dir`, or undefined outside any repository. */
export function findRepoRoot(dir: string): string | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, '.git'))) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

/** `file` relative to `root` with `/` separators, as it is written into a workflow. */
export function toRepoPath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
