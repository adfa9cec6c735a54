/**
 * Where multiarch keeps what it remembers between runs (hash cache, state store, run history,
 * export cache, scan results): `MULTIARCH_CACHE_DIR`, else the config's `cacheDir`, else the
 * user's cache directory keyed by the project's path — never inside the project by default, so
 * multiarch's own files neither enter a build context nor make an image stale. The platform's
 * cache directory: `$XDG_CACHE_HOME` or `~/.cache` (Linux and others), `~/Library/Caches`
 * (macOS), `%LOCALAPPDATA%` (Windows). Edge.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { ResolvedConfig } from '../config/resolved.js';

export function resolveCacheDir(config: Pick<ResolvedConfig, 'dir' | 'cacheDir'>, io: { readonly cwd: string; readonly env: NodeJS.ProcessEnv }, platform: NodeJS.Platform = process.platform): string {
  if (io.env.MULTIARCH_CACHE_DIR) return path.resolve(io.cwd, io.env.MULTIARCH_CACHE_DIR);
  if (config.cacheDir) return config.cacheDir;
  return path.join(userCacheDir(io.env, platform), projectKey(config.dir));
}

/** multiarch's directory in the user's cache directory: what it remembers of the machine (not of a project). */
export function userCacheDir(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform = process.platform): string {
  return path.join(userCacheBase(env, platform), 'multiarch');
}

/** `<project folder name>-<12 hex of its absolute path>`: readable, and unique per checkout. */
export function projectKey(dir: string): string {
  const abs = path.resolve(dir);
  const name = path.basename(abs).replace(/[^A-Za-z0-9._-]/g, '_') || 'root';
  return `${name}-${createHash('sha256').update(abs).digest('hex').slice(0, 12)}`;
}

function userCacheBase(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform): string {
  const home = env.HOME || env.USERPROFILE || os.homedir();
  if (platform === 'win32') return env.LOCALAPPDATA || path.join(home, 'AppData', 'Local');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches');
  return env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(home, '.cache');
}
