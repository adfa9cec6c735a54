/**
 * HEAD's first-parent ancestors with the git tags on each, nearest first, for the layer cache's
 * search for an image published under an earlier tag (config/ancestor-tags.ts). One `git log`,
 * run at most once and only when an image's tags do not exist yet — never on a no-op. A shallow
 * clone has no ancestors: then nothing is found here. Edge: runs git.
 */
import type { AncestorCommit } from '../config/ancestor-tags.js';
import { run } from '../sys/run.js';

/** How far back to look: each found tag costs a HEAD request. */
const DEPTH = 10;

export function gitAncestors(cwd: string): () => Promise<readonly AncestorCommit[]> {
  let pending: Promise<readonly AncestorCommit[]> | undefined;
  return () => (pending ??= readAncestors(cwd));
}

async function readAncestors(cwd: string): Promise<readonly AncestorCommit[]> {
  const r = await run('git', ['log', '--first-parent', '--skip=1', `--max-count=${DEPTH}`, '--format=%H%x09%D', 'HEAD'], { cwd, timeoutMs: 10_000 }).catch(() => undefined);
  if (r?.exitCode !== 0) return [];
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [sha = '', decorations = ''] = line.split('\t');
      const tags = decorations
        .split(', ')
        .filter((d) => d.startsWith('tag: '))
        .map((d) => d.slice('tag: '.length));
      return { sha, tags };
    });
}
