/** Values as the reporters show them: durations, clock times, digests, byte counts, progress. Pure. */
import { stripAnsi } from '../text/text-width.js';

/** `0.4s`, `12.3s`, `1m02s`, `1h05m`. */
export function formatDuration(ms: number): string {
  const safe = Math.max(0, ms);
  if (safe < 60_000) return `${(Math.floor(safe / 100) / 10).toFixed(1)}s`;
  const totalSeconds = Math.floor(safe / 1000);
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)}m${pad2(totalSeconds % 60)}s`;
  const minutes = Math.floor(totalSeconds / 60);
  return `${Math.floor(minutes / 60)}h${pad2(minutes % 60)}m`;
}

/** Whole seconds for things still running (no flicker of tenths): `7s`, `1m02s`. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return seconds < 60 ? `${seconds}s` : formatDuration(seconds * 1000);
}

/** `HH:MM:SS` in local time. */
export function formatClock(at: number): string {
  const d = new Date(at);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** `sha256:abcd1234ef56`: the algorithm and the first 12 hex digits. */
export function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.includes(':') ? digest.split(':', 2) : ['sha256', digest];
  return `${algorithm}:${(hex ?? '').slice(0, 12)}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** A process's line made safe for a fixed-width frame: no colour codes, tabs or carriage returns. */
export function cleanLine(line: string): string {
  return stripAnsi(line)
    .replace(/\t/g, '  ')
    .replace(/\r/g, '');
}

/** `512 B`, `1.2 kB`, `34.5 MB`, `1.02 GB`: decimal units, as `docker push` prints them. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** `45%` of a step's progress (never 100% until it is really all there). */
export function formatPercent(current: number, total: number): string {
  if (total <= 0) return '';
  const percent = Math.floor((Math.min(current, total) / total) * 100);
  return `${current < total ? Math.min(99, percent) : 100}%`;
}

/** What a progress count adds to a step's message: bytes sent of the total for pushes. */
export function formatProgressCount(progress: { readonly current: number; readonly total: number; readonly unit?: string } | undefined): string {
  if (!progress || progress.unit !== 'bytes') return '';
  return `${formatBytes(progress.current)} / ${formatBytes(progress.total)} (${formatPercent(progress.current, progress.total)})`;
}
