/**
 * COPY and ADD into a stage's tree, with BuildKit's rules: sources are globs over the context (or
 * an earlier stage); a directory source copies its contents, not itself; the destination is a
 * directory when it ends in `/`, when there are several sources, or when it already is one;
 * missing parents are created 0755 (owned like the copy); `--chown` sets every copied entry's
 * owner (else context files are root's and stage files keep theirs); `--chmod` every mode; ADD
 * unpacks local tar archives. Within one directory source, names of one file (context hardlinks,
 * or a stage's) stay hardlinks of each other, as BuildKit copies them; a name whose other names
 * are outside the copy, or a file named on its own (or by a glob), becomes a file of its own.
 * Returns what changed: the new layer's entries.
 */
import { normalize, type FsEntry, type FsTree } from './fs-tree.js';
import type { Owner } from './owners.js';

export interface CopyOptions {
  /** Absolute destination (already joined with WORKDIR), trailing slash kept. */
  readonly dest: string;
  readonly sources: readonly string[];
  readonly owner?: Owner;
  /** Octal mode for every copied entry. */
  readonly chmod?: number;
  /** The source is the build context: its files become root's unless --chown says otherwise. */
  readonly fromContext: boolean;
  /** ADD: a tar archive is unpacked, given its entries (relative paths) or undefined if it is none. */
  readonly unpack?: (entry: FsEntry) => Promise<FsEntry[] | undefined>;
}

export type CopyResult = { ok: true; changed: FsEntry[] } | { ok: false; message: string };

export async function copyInto(target: FsTree, source: FsTree, options: CopyOptions): Promise<CopyResult> {
  const matched: FsEntry[] = [];
  for (const raw of options.sources) {
    const pattern = normalize(raw);
    if (/[*?[]/.test(pattern)) {
      const re = globRegExp(pattern);
      matched.push(...source.all().filter((e) => re.test(e.path)));
      continue;
    }
    const entry = follow(source, pattern);
    if (!entry) return { ok: false, message: `"${raw}" is not in the ${options.fromContext ? 'build context (or .dockerignore excludes it)' : 'stage'}` };
    matched.push(entry);
  }
  if (matched.length === 0) return { ok: false, message: `no source files were specified (${options.sources.join(' ')} matched nothing)` };
  const changed = new Map<string, FsEntry>();
  const put = (e: FsEntry) => {
    if (e.type !== 'dir' || target.get(e.path)?.type !== 'dir') target.remove(e.path);
    target.set(e);
    changed.set(e.path, target.get(e.path)!);
  };
  const destIsDir = options.dest.endsWith('/') || options.sources.length > 1 || matched.length > 1 || target.get(target.resolveParents(options.dest))?.type === 'dir';
  const dest = target.resolveParents(options.dest);
  const owned = (e: FsEntry, mode = e.mode): Pick<FsEntry, 'uid' | 'gid' | 'mode'> => ({
    uid: options.owner?.uid ?? (options.fromContext ? 0 : e.uid),
    gid: options.owner?.gid ?? (options.fromContext ? 0 : e.gid),
    mode: options.chmod ?? mode,
  });
  const mkdirs = (dir: string) => {
    const parts = dir.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      const p = `/${parts.slice(0, i).join('/')}`;
      if (target.get(p)) continue;
      put({ path: p, type: 'dir', mode: 0o755, uid: options.owner?.uid ?? 0, gid: options.owner?.gid ?? 0 });
    }
  };
  for (const src of matched) {
    if (src.type === 'dir') {
      mkdirs(parentOf(dest));
      put({ ...src, path: dest, ...owned(src) });
      // The first name (in path order) of each file copied is the file; its other names link to it.
      const firstName = new Map<string, string>();
      for (const child of source.under(src.path)) {
        const id = options.fromContext ? child.inode : child.type === 'hardlink' ? child.link : child.type === 'file' ? child.path : undefined;
        const moved = relocate(child, src.path, dest, owned(child));
        const first = id === undefined ? undefined : firstName.get(id);
        if (first !== undefined) put(hardlink(moved, first));
        else if (child.type === 'hardlink') put({ ...(source.get(child.link!) ?? child), path: moved.path, ...owned(child) });
        else put(moved);
        if (id !== undefined && first === undefined) firstName.set(id, moved.path);
      }
      continue;
    }
    const archive = options.unpack && src.type === 'file' ? await options.unpack(src) : undefined;
    if (archive) {
      mkdirs(dest);
      for (const e of archive) {
        const path = normalize(`${dest}/${e.path}`);
        mkdirs(parentOf(path));
        put({ ...e, path, ...(e.type === 'hardlink' ? { link: normalize(`${dest}/${e.link}`) } : {}) });
      }
      continue;
    }
    const path = destIsDir ? normalize(`${dest}/${baseName(src.path)}`) : dest;
    mkdirs(parentOf(path));
    // A hardlink copied on its own becomes the file it links to.
    const file = src.type === 'hardlink' ? { ...(source.get(src.link!) ?? src), path: src.path } : src;
    put({ ...file, path, ...owned(file) });
  }
  return { ok: true, changed: [...changed.values()] };
}

/** WORKDIR: the directory and its missing parents, owned by the stage's user. */
export function makeDirectory(target: FsTree, dir: string, owner: Owner): FsEntry[] {
  const created: FsEntry[] = [];
  const parts = target.resolveParents(dir).split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const p = `/${parts.slice(0, i).join('/')}`;
    if (target.get(p)) continue;
    const e: FsEntry = { path: p, type: 'dir', mode: 0o755, uid: owner.uid, gid: owner.gid };
    target.set(e);
    created.push(e);
  }
  return created;
}

function relocate(e: FsEntry, from: string, to: string, attrs: Pick<FsEntry, 'uid' | 'gid' | 'mode'>): FsEntry {
  return { ...e, path: normalize(`${to}/${e.path.slice(from.length)}`), ...attrs };
}

/** Another name of the file at `target`: a hardlink entry, no bytes of its own. */
function hardlink(e: FsEntry, target: string): FsEntry {
  return { path: e.path, type: 'hardlink', mode: e.mode, uid: e.uid, gid: e.gid, link: target };
}

/** A source path's symlinks followed (within the source tree), as COPY does for what it names. */
function follow(tree: FsTree, path: string): FsEntry | undefined {
  let p = tree.resolveParents(path);
  for (let hops = 0; hops < 40; hops++) {
    const e = tree.get(p);
    if (e?.type !== 'symlink') return e;
    p = normalize(e.link!.startsWith('/') ? e.link! : `${parentOf(p)}/${e.link}`);
  }
  return undefined;
}

/** A COPY source pattern (`*`, `?`, `[…]`; none crosses a `/`) as a regular expression. */
export function globRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const close = pattern.indexOf(']', i);
      re += close < 0 ? '\\[' : `[${pattern.slice(i + 1, close).replace(/^!/, '^')}]`;
      if (close >= 0) i = close;
    } else re += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
