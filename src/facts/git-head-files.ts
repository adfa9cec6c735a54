/**
 * The commit HEAD names, origin's URL and the commit's time, read from the repository's files
 * (HEAD, refs, packed-refs, config, a loose commit object) instead of starting `git`: a run that
 * builds nothing starts no process. Returns undefined whenever the layout is beyond these plain
 * files (GIT_DIR, a packed commit): the caller asks git then. Edge: reads files.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';

export interface GitHeadFacts {
  readonly revision?: string;
  readonly remote?: string;
  /** Committer time as `git log --format=%cI` prints it; undefined when the object is packed. */
  readonly created?: string;
}

/** `{}` outside any repository; undefined when only git itself can tell. */
export function readGitHead(cwd: string, env: NodeJS.ProcessEnv): GitHeadFacts | undefined {
  if (env.GIT_DIR || env.GIT_WORK_TREE || env.GIT_CEILING_DIRECTORIES) return undefined;
  const found = findGitDir(cwd);
  if (found === null) return {};
  try {
    // A linked worktree's `.git` file names its own dir (HEAD); refs, objects and config are common.
    const gitDir = found.isFile ? path.resolve(path.dirname(found.path), /^gitdir: (.+)$/m.exec(readFileSync(found.path, 'utf8'))![1]!.trim()) : found.path;
    const commonFile = path.join(gitDir, 'commondir');
    const common = existsSync(commonFile) ? path.resolve(gitDir, readFileSync(commonFile, 'utf8').trim()) : gitDir;
    const revision = resolveHead(gitDir, common);
    const remote = originUrl(common);
    if (!revision) return remote ? { remote } : {};
    const created = commitTime(common, revision);
    if (!created) return undefined;
    return { revision, created, ...(remote ? { remote } : {}) };
  } catch {
    return undefined;
  }
}

/** The nearest `.git` (a directory, or a linked worktree's file); null when there is none. */
function findGitDir(cwd: string): { path: string; isFile: boolean } | null {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, '.git');
    if (existsSync(candidate)) return { path: candidate, isFile: !statSync(candidate).isDirectory() };
    if (path.dirname(dir) === dir) return null;
  }
}

function resolveHead(gitDir: string, common: string): string | undefined {
  const head = readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
  if (/^[0-9a-f]{40}$/.test(head)) return head;
  const ref = /^ref: (.+)$/.exec(head)?.[1];
  if (!ref) throw new Error('unreadable HEAD');
  const loose = [path.join(gitDir, ref), path.join(common, ref)].find((f) => existsSync(f));
  if (loose) return readFileSync(loose, 'utf8').trim();
  const packed = path.join(common, 'packed-refs');
  if (!existsSync(packed)) return undefined; // an unborn branch: no commit yet
  const line = readFileSync(packed, 'utf8').split('\n').find((l) => l.endsWith(` ${ref}`));
  return line?.slice(0, 40);
}

function originUrl(gitDir: string): string | undefined {
  const text = readFileSync(path.join(gitDir, 'config'), 'utf8');
  let inOrigin = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) inOrigin = /^\[remote\s+"origin"\]$/.test(line);
    else if (inOrigin && /^url\s*=/.test(line)) return line.replace(/^url\s*=\s*/, '');
  }
  return undefined;
}

function commitTime(gitDir: string, sha: string): string | undefined {
  const file = path.join(gitDir, 'objects', sha.slice(0, 2), sha.slice(2));
  if (!existsSync(file)) return undefined;
  const text = inflateSync(readFileSync(file)).toString('utf8');
  const m = /\ncommitter .* (\d+) ([+-])(\d\d)(\d\d)\n/.exec(text);
  if (!m) return undefined;
  const offset = (m[2] === '-' ? -1 : 1) * (Number(m[3]) * 60 + Number(m[4]));
  const local = new Date((Number(m[1]) + offset * 60) * 1000).toISOString().slice(0, 19);
  return `${local}${m[2]}${m[3]}:${m[4]}`;
}
