/**
 * What a docker client binary offers (its version, its buildx plugin's version) is remembered per
 * machine, keyed by the identity (path, size, mtime) of the binary and of every place a buildx
 * plugin may live (cli-plugins.ts, the config's `cliPluginsExtraDirs` included): an upgrade or a
 * new plugin changes the key, so the memo is never stale, and a no-op run needs no `docker
 * version` process. A fact of the machine, not of a project: kept in the user's cache directory
 * (facts/cache-dir.ts), whatever a project's cache directory is, so a new project's first run on
 * a machine that has run multiarch before starts its build without probing. Edge: stats files,
 * reads/writes one JSON file.
 */
import { readFileSync, statSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ClientProbe } from './choose-builder.js';

export type ClientOffer = Pick<ClientProbe, 'version' | 'buildx'>;


/**
 * The identity of the binary and of the buildx plugins it could load (`buildxCandidates`);
 * undefined if the binary cannot be stat-ed.
 */
export function clientKey(binary: string, plugins: readonly string[]): string | undefined {
  const files = [binary, ...plugins];
  const parts: string[] = [];
  for (const [i, file] of files.entries()) {
    try {
      const s = statSync(file);
      parts.push(`${file}:${s.size}:${s.mtimeMs}:${s.ino}`);
    } catch {
      if (i === 0) return undefined;
      parts.push(`${file}:-`);
    }
  }
  return parts.join('|');
}

export function readMemo<T = ClientOffer>(file: string): Record<string, T> {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, T>) : {};
  } catch {
    return {};
  }
}

export async function writeMemo<T = ClientOffer>(file: string, memo: Record<string, T>): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(memo));
    await rename(tmp, file);
  } catch {
    // A memo that cannot be written only costs the next run a probe.
  }
}
