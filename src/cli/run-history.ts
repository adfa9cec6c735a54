/**
 * How long each node took the last time it really ran, kept between runs in
 * `<cache dir>/history.json`, so a node that ends `cached` can be credited the time it saved. Only
 * nodes that succeeded are recorded (a cached run says nothing about the work's cost). Losing the
 * file loses nothing but that estimate: unreadable or unwritable means empty, never an error.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import type { RunSummary } from '../exec/events.js';

export interface RunHistory {
  readonly version: 1;
  /** config file → node id → milliseconds of its last successful real run. */
  readonly configs: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

const EMPTY: RunHistory = { version: 1, configs: {} };

export function historyFile(cacheDir: string): string {
  return path.join(cacheDir, 'history.json');
}

export async function readRunHistory(file: string): Promise<RunHistory> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as Partial<RunHistory>;
    return data.version === 1 && data.configs && typeof data.configs === 'object' ? (data as RunHistory) : EMPTY;
  } catch {
    return EMPTY;
  }
}

/** The durations to credit cached nodes of `configFile` with (what is not a duration is ignored). */
export function previousDurations(history: RunHistory, configFile: string): Readonly<Record<string, number>> {
  const recorded: Readonly<Record<string, unknown>> = history.configs[configFile] ?? {};
  return Object.fromEntries(Object.entries(recorded).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]) && e[1] >= 0));
}

/** `history` with this run's succeeded nodes' durations. Pure. */
export function recordDurations(history: RunHistory, configFile: string, summary: RunSummary): RunHistory {
  const durations: Record<string, number> = { ...history.configs[configFile] };
  for (const node of summary.nodes) if (node.status === 'succeeded') durations[node.id] = node.durationMs;
  return { version: 1, configs: { ...history.configs, [configFile]: durations } };
}

export async function writeRunHistory(file: string, history: RunHistory): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(history, null, 2)}\n`);
    await rename(temp, file);
  } catch {
    // Only an estimate for the summary; a read-only cache directory must not fail the run.
  }
}
