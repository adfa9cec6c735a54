/**
 * What a run leaves behind if it is killed (SIGKILL gives no chance to clean up) must be findable
 * by the next one: containers carry labels naming the owning pid and host, temp files live under
 * one folder per run (`$TMPDIR/multiarch-run-<pid>`) or carry the pid in their name (OCI layouts,
 * the blob cache's `tmp/`). A later run removes what belongs to a pid
 * that no longer runs on this host — never a live run's. Edge.
 */
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { isAlive } from './process-alive.js';

export const OWNER_PID_LABEL = 'dev.multiarch.owner.pid';
export const OWNER_HOST_LABEL = 'dev.multiarch.owner.host';

/** `--label` flags for a container this run starts. */
export function ownerLabelArgs(): string[] {
  return ['--label', `${OWNER_PID_LABEL}=${process.pid}`, '--label', `${OWNER_HOST_LABEL}=${os.hostname()}`];
}

const RUN_DIR_PREFIX = 'multiarch-run-';

export function runTempRoot(): string {
  return path.join(os.tmpdir(), `${RUN_DIR_PREFIX}${process.pid}`);
}

let swept: Promise<void> | undefined;

/** A fresh temp directory inside this run's folder; the first call also removes dead runs' folders. */
export async function makeRunTempDir(prefix: string): Promise<string> {
  swept ??= removeDeadRunDirs().then(() => undefined, () => undefined);
  await swept;
  const root = runTempRoot();
  await mkdir(root, { recursive: true });
  return mkdtemp(path.join(root, prefix));
}

/** Removes `multiarch-run-<pid>` folders whose process is gone; returns what it removed. */
export async function removeDeadRunDirs(dir = os.tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith(RUN_DIR_PREFIX)) continue;
    const pid = Number(name.slice(RUN_DIR_PREFIX.length));
    if (!Number.isInteger(pid) || pid <= 0 || isAlive(pid)) continue;
    await rm(path.join(dir, name), { recursive: true, force: true }).catch(() => undefined);
    removed.push(path.join(dir, name));
  }
  return removed;
}

/**
 * Removes the files in `dir` whose name says they belong to a process that no longer runs: `name`
 * matches them, its first group is the pid. Returns what it removed.
 */
export async function removeDeadOwnerFiles(dir: string, name: RegExp): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of await readdir(dir).catch(() => [] as string[])) {
    const pid = name.exec(entry)?.[1];
    if (pid === undefined || isAlive(Number(pid))) continue;
    await rm(path.join(dir, entry), { force: true }).catch(() => undefined);
    removed.push(path.join(dir, entry));
  }
  return removed;
}

/** Parses `docker ps --format '{{.ID}} {{.Label "…pid"}}'` lines into the ids of dead runs' containers. */
export function deadOwnerContainers(lines: readonly string[], alive: (pid: number) => boolean = isAlive): string[] {
  return lines.flatMap((line) => {
    const [id, pid] = line.trim().split(/\s+/);
    return id && pid && Number(pid) > 0 && !alive(Number(pid)) ? [id] : [];
  });
}
