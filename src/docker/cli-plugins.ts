/**
 * Where the docker CLI looks for its buildx plugin, in its own order (docker/cli
 * `cli-plugins/manager`, `getPluginDirs`): the config file's `cliPluginsExtraDirs`, then
 * `cli-plugins` in the config directory, then the system directories. The CLI stats each
 * candidate and runs the first that exists, so where none exists `docker buildx version` can only
 * fail: its answer is known without starting the process (a fork of this big process costs the
 * main thread ≈15–30 ms on the cold path). The same list keys the client memo (client-memo.ts),
 * so a plugin appearing in any of these places is noticed. Edge: reads the CLI's config, stats
 * files.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { cliConfigDir, readCliConfig } from './cli-config.js';

/**
 * The CLI's system directories (manager_unix.go / manager_windows.go). Windows has named
 * ProgramData and ProgramFiles, or only ProgramFiles, depending on the CLI's version: both are
 * listed, as an extra candidate only costs a stat.
 */
function systemPluginDirs(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === 'win32') {
    return [env.ProgramData, env.ProgramFiles].filter((d): d is string => Boolean(d)).map((d) => path.win32.join(d, 'Docker', 'cli-plugins'));
  }
  return ['/usr/local/lib/docker/cli-plugins', '/usr/local/libexec/docker/cli-plugins', '/usr/lib/docker/cli-plugins', '/usr/libexec/docker/cli-plugins'];
}

/** Every path the CLI would try for `docker buildx`, most preferred first. */
export function buildxCandidates(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string[] {
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  const dirs = [...extraDirs(readCliConfig(env)), join(cliConfigDir(env), 'cli-plugins'), ...systemPluginDirs(platform, env)];
  const name = platform === 'win32' ? 'docker-buildx.exe' : 'docker-buildx';
  return dirs.map((d) => join(d, name));
}

/**
 * `cliPluginsExtraDirs` as the CLI's JSON decoding reads it: the key matched without regard to
 * case (Go's encoding/json), the strings as they are (no `~`, a relative one from the working
 * directory, an empty one is the working directory itself).
 */
function extraDirs(config: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(config)
    .filter(([key]) => key.toLowerCase() === 'clipluginsextradirs')
    .flatMap(([, dirs]) => (Array.isArray(dirs) ? dirs.filter((d): d is string => typeof d === 'string') : []));
}

/**
 * Whether the CLI could find a plugin among the candidates. Only a candidate that does not exist
 * is passed over, as the CLI does (`os.IsNotExist`); one that cannot be stat-ed for another reason
 * counts as there, and the probe runs and tells.
 */
export function pluginMayExist(candidates: readonly string[]): boolean {
  return candidates.some((file) => {
    try {
      statSync(file);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code !== 'ENOENT';
    }
  });
}
