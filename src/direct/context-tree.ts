/**
 * The build context as COPY sees it: what the `.dockerignore` (BuildKit's rules, `!` re-includes
 * and all) leaves of the directory, as a tree rooted at `/` whose files are read from disk when a
 * layer is written. Edge.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MultiarchError } from '../errors/multiarch-error.js';
import { compileIgnore, IgnoreSyntaxError, parseIgnoreFile } from '../inputs/dockerignore.js';
import { walkContext } from '../inputs/walk-context.js';
import { FsTree } from './fs-tree.js';

/** `ignore`: paths excluded on top of the user's rules (multiarch's own directories), as the engine's build gets them. */
export async function readContextTree(context: string, dockerfile: string, ignore: readonly string[] = []): Promise<FsTree> {
  // BuildKit prefers <Dockerfile>.dockerignore next to the Dockerfile, then the context's.
  const text = (await readFile(`${dockerfile}.dockerignore`, 'utf8').catch(() => undefined)) ?? (await readFile(path.join(context, '.dockerignore'), 'utf8').catch(() => undefined));
  let matcher;
  try {
    const patterns = [...(text === undefined ? [] : parseIgnoreFile(text)), ...ignore];
    matcher = patterns.length === 0 ? undefined : compileIgnore(patterns);
  } catch (error) {
    if (error instanceof IgnoreSyntaxError) throw new MultiarchError('E_INPUTS', `${path.join(context, '.dockerignore')}: ${error.message}`);
    throw error;
  }
  const tree = new FsTree();
  tree.set({ path: '/', type: 'dir', mode: 0o755, uid: 0, gid: 0 });
  for (const e of await walkContext(context, matcher, 'buildkit')) {
    const abs = `/${e.path}`;
    if (e.type === 'dir') tree.set({ path: abs, type: 'dir', mode: e.mode, uid: 0, gid: 0 });
    else if (e.type === 'symlink') tree.set({ path: abs, type: 'symlink', mode: 0o777, uid: 0, gid: 0, link: e.link ?? '' });
    else if (e.type === 'file') tree.set({ path: abs, type: 'file', mode: e.mode, uid: 0, gid: 0, size: e.size, content: { kind: 'file', path: path.join(context, e.path) }, ...(e.inode ? { inode: e.inode } : {}) });
  }
  return tree;
}
