/**
 * A git remote as a public source URL for the `org.opencontainers.image.source` label:
 * `git@github.com:org/repo.git` → `https://github.com/org/repo`, credentials in https remotes
 * dropped (they must never end up in an image). Pure.
 */
export function publicSourceUrl(remote: string): string | undefined {
  const scp = /^(?:[\w.-]+@)?([\w.-]+):(?!\/\/)(.+?)(?:\.git)?\/?$/.exec(remote);
  if (scp && !remote.includes('://')) return `https://${scp[1]}/${scp[2]}`;
  try {
    const url = new URL(remote);
    if (!['https:', 'http:', 'ssh:', 'git:'].includes(url.protocol)) return undefined;
    return `https://${url.hostname}${url.pathname.replace(/\.git$/, '').replace(/\/$/, '')}`;
  } catch {
    return undefined;
  }
}
