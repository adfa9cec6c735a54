/**
 * What `gitTags()` rules resolve against: HEAD, its branch, the git tags at HEAD and in the whole
 * repository, and the pull request number, which only the CI knows (GitHub's GITHUB_REF
 * `refs/pull/<n>/merge`, GitLab's CI_MERGE_REQUEST_IID). On a detached CI checkout the branch comes
 * from the CI too. Edge: runs git, reads the environment.
 */
import type { GitRefFacts } from '../config/resolve-git-tags.js';
import { run } from '../sys/run.js';

export async function readGitRefFacts(cwd: string, env: NodeJS.ProcessEnv): Promise<GitRefFacts> {
  const git = async (...args: string[]) => {
    const r = await run('git', args, { cwd, timeoutMs: 10_000 }).catch(() => undefined);
    return r?.exitCode === 0 ? r.stdout.trim() : undefined;
  };
  const [sha, branch, atHead, all] = await Promise.all([
    git('rev-parse', 'HEAD'),
    git('symbolic-ref', '--short', '-q', 'HEAD'),
    git('tag', '--points-at', 'HEAD'),
    git('tag', '--list'),
  ]);
  const lines = (text: string | undefined) => (text ? text.split('\n').map((l) => l.trim()).filter(Boolean) : []);
  const ciBranch = env.GITHUB_HEAD_REF || (env.GITHUB_REF?.startsWith('refs/heads/') ? env.GITHUB_REF.slice('refs/heads/'.length) : undefined) || env.CI_COMMIT_BRANCH || env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME;
  const pr = /^refs\/pull\/(\d+)\//.exec(env.GITHUB_REF ?? '')?.[1] ?? env.CI_MERGE_REQUEST_IID;
  const chosen = branch || ciBranch;
  return {
    ...(sha ? { sha } : {}),
    ...(chosen ? { branch: chosen } : {}),
    tagsAtHead: lines(atHead),
    allTags: lines(all),
    ...(pr && /^\d+$/.test(pr) ? { pr: Number(pr) } : {}),
  };
}
