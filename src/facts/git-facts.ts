/**
 * git's revision, public source URL and commit time, for the images' OCI labels. Reads the
 * repository's plain files first (git-head-files.ts), so a run that builds nothing starts no git.
 * Edge: reads files, may run git.
 */
import process from 'node:process';
import type { PlanFacts } from '../plan/nodes.js';
import { run } from '../sys/run.js';
import { readGitHead } from './git-head-files.js';
import { publicSourceUrl } from './source-url.js';

export async function gitFacts(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<NonNullable<PlanFacts['git']>> {
  const git = async (...args: string[]) => {
    const r = await run('git', args, { cwd, timeoutMs: 10_000 }).catch(() => undefined);
    return r?.exitCode === 0 ? r.stdout.trim() : undefined;
  };
  // The plain files answer without a process; git itself only for layouts they cannot tell.
  const files = readGitHead(cwd, env);
  const [revision, remote] = files ? [files.revision, files.remote] : await Promise.all([git('rev-parse', 'HEAD'), git('config', '--get', 'remote.origin.url')]);
  // Reproducible: the commit's time (or SOURCE_DATE_EPOCH), never "now", so rebuilding the same
  // commit gives the same image config.
  const epoch = env.SOURCE_DATE_EPOCH ? Number(env.SOURCE_DATE_EPOCH) : undefined;
  const created =
    epoch !== undefined && Number.isFinite(epoch)
      ? new Date(epoch * 1000).toISOString()
      : files
        ? files.created
        : revision
          ? await git('log', '-1', '--format=%cI')
          : undefined;
  const source = remote ? publicSourceUrl(remote) : undefined;
  return { ...(revision ? { revision } : {}), ...(source ? { source } : {}), ...(created ? { created } : {}) };
}
