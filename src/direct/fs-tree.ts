/**
 * A stage's filesystem as the assembler sees it: every path with its type, mode, owner and link
 * target, and where a file's bytes are (a context file, a base layer, bytes in memory). Base layers
 * are applied with their whiteouts, so the tree is what a container of the image would see. Pure.
 */
import type { TarEntry } from './tar-read.js';

export type FileContent =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'bytes'; readonly bytes: Buffer }
  /** Entry `name` of the uncompressed tar of layer `digest` in the blob store. */
  | { readonly kind: 'layer'; readonly digest: string; readonly name: string };

export interface FsEntry {
  /** Absolute, no trailing slash (`/` is the root). */
  readonly path: string;
  readonly type: 'file' | 'dir' | 'symlink' | 'hardlink';
  /** Permission bits, with setuid/setgid/sticky. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Symlink target, or the path (absolute) a hardlink points at. */
  readonly link?: string;
  readonly size?: number;
  readonly content?: FileContent;
  /** A context file with other names in the context (hardlinks): the same for all of them. */
  readonly inode?: string;
}

/**
 * A tar entry (a base layer's, an ADD archive's) as a tree entry at `path`, its bytes at `content`;
 * undefined for devices and fifos, which neither COPY --from nor ADD's unpacking carries over.
 */
export function entryFromTar(path: string, h: TarEntry, content: FileContent): FsEntry | undefined {
  const common = { path, mode: h.mode & 0o7777, uid: h.uid, gid: h.gid };
  switch (h.type) {
    case 'directory':
      return { ...common, type: 'dir' };
    case 'symlink':
      return { ...common, type: 'symlink', link: h.linkname ?? '' };
    case 'link':
      return { ...common, type: 'hardlink', link: normalize(h.linkname ?? '') };
    case 'file':
    case 'contiguous-file':
      return { ...common, type: 'file', size: h.size, content };
    default:
      return undefined;
  }
}

export class FsTree {
  private readonly entries = new Map<string, FsEntry>();
  /** Paths that may have entries under them (a superset): remove() scans the tree only for these,
   * so unpacking a base layer (one remove per entry) stays linear in its size. */
  private readonly parents = new Set<string>();

  get(path: string): FsEntry | undefined {
    return this.entries.get(normalize(path));
  }

  set(entry: FsEntry): void {
    const p = normalize(entry.path);
    this.entries.set(p, { ...entry, path: p });
    for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
      const parent = p.slice(0, i);
      if (this.parents.has(parent)) break;
      this.parents.add(parent);
    }
    this.parents.add('/');
  }

  /** A path and everything under it. */
  remove(path: string): void {
    const p = normalize(path);
    this.entries.delete(p);
    if (!this.parents.has(p)) return;
    for (const key of [...this.entries.keys()]) if (key.startsWith(`${p}/`)) this.entries.delete(key);
  }

  /** Entries directly or indirectly under `dir`, sorted by path. */
  under(dir: string): FsEntry[] {
    const d = normalize(dir);
    const prefix = d === '/' ? '/' : `${d}/`;
    return [...this.entries.values()].filter((e) => e.path.startsWith(prefix) && e.path !== d).sort((a, b) => compare(a.path, b.path));
  }

  all(): FsEntry[] {
    return [...this.entries.values()].sort((a, b) => compare(a.path, b.path));
  }

  /** Follows symlinks in every component but the last, as a copy into the tree does. */
  resolveParents(path: string): string {
    const parts = normalize(path).split('/').filter(Boolean);
    let current = '';
    for (let i = 0; i < parts.length; i++) {
      let next = `${current}/${parts[i]}`;
      let hops = 0;
      let entry = this.entries.get(next);
      while (i < parts.length - 1 && entry?.type === 'symlink' && hops++ < 40) {
        next = normalize(entry.link!.startsWith('/') ? entry.link! : `${current || '/'}/${entry.link}`);
        entry = this.entries.get(next);
      }
      current = next;
    }
    return current || '/';
  }

  clone(): FsTree {
    const copy = new FsTree();
    for (const [k, v] of this.entries) copy.entries.set(k, v);
    for (const p of this.parents) copy.parents.add(p);
    return copy;
  }
}

/** `/a/./b/../c/` → `/a/c`. */
export function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

/** Byte order, as Go sorts paths (tar writers and BuildKit's walkers). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
