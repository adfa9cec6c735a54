/**
 * The Dockerfiles of a repository, for `multiarch init`: every `Dockerfile`, `Containerfile`,
 * `Dockerfile.<variant>` and `<variant>.Dockerfile` below the root, skipping dependency and VCS
 * folders (node_modules, vendor, .git and other dot-folders). Bounded so a huge tree cannot
 * stall init. Edge: reads the file system.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Folders never searched: dependencies, VCS metadata, build caches. */
export const SKIPPED_DIRS = new Set(['node_modules', 'vendor', 'bower_components', 'target', '__pycache__']);

const MAX_DEPTH = 8;
const MAX_DIRS = 5000;

export interface FoundDockerfile {
  /** Relative to the root, '/'-separated: `services/api/Dockerfile`. */
  readonly path: string;
  /** The Dockerfile's text (for guessing its build context). */
  readonly text: string;
}

export function isDockerfileName(name: string): boolean {
  if (/\.(?:dockerignore|md|txt|bak|orig|swp|tmpl)$/i.test(name)) return false;
  return /^(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?$/.test(name) || /^[\w.-]+\.(?:Dockerfile|dockerfile|Containerfile)$/.test(name);
}

export function findDockerfiles(root: string): FoundDockerfile[] {
  const found: FoundDockerfile[] = [];
  let dirs = 0;
  const walk = (rel: string, depth: number) => {
    if (depth > MAX_DEPTH || ++dirs > MAX_DIRS) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && !SKIPPED_DIRS.has(entry.name)) walk(child, depth + 1);
      } else if (entry.isFile() && isDockerfileName(entry.name)) {
        found.push({ path: child, text: fs.readFileSync(path.join(root, child), 'utf8') });
      }
    }
  };
  walk('', 0);
  return found;
}

/** Whether `rel` (relative to root) exists: the callback the pure context guess needs. */
export function existsUnder(root: string): (rel: string) => boolean {
  return (rel) => fs.existsSync(path.join(root, rel));
}
