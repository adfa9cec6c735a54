/**
 * What a grid cell shows for a node's state: an icon, a short text and a colour name for Ink's
 * `<Text color>`. Spinner frames come from a shared tick, so one timer animates every cell. Pure.
 */
import type { CellView } from '../state.js';
import { formatDuration, formatElapsed, formatPercent } from '../../format.js';

export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;

export function spinnerFrame(tick: number): string {
  return SPINNER_FRAMES[Math.abs(Math.floor(tick)) % SPINNER_FRAMES.length]!;
}

export type Tone = 'green' | 'red' | 'yellow' | 'cyan' | 'gray';

export interface CellText {
  readonly icon: string;
  readonly text: string;
  readonly tone: Tone;
}

export function cellText(cell: CellView, now: number, tick: number): CellText {
  switch (cell.state) {
    case 'waiting':
      return { icon: '·', text: '', tone: 'gray' };
    case 'running': {
      // Pushes also show how much of the image is sent.
      const percent = cell.progress?.unit === 'bytes' ? ` ${formatPercent(cell.progress.current, cell.progress.total)}` : '';
      return { icon: spinnerFrame(tick), text: `${formatElapsed(now - cell.startedAt)}${percent}`, tone: 'cyan' };
    }
    case 'succeeded':
      return { icon: '✓', text: formatDuration(cell.durationMs), tone: 'green' };
    case 'cached':
      return { icon: '↺', text: 'cached', tone: 'green' };
    case 'failed':
      return { icon: '✗', text: formatDuration(cell.durationMs), tone: 'red' };
    case 'skipped':
      return { icon: '–', text: 'skipped', tone: 'gray' };
    case 'canceled':
      return { icon: '–', text: 'canceled', tone: 'yellow' };
  }
}

/** Ink colour props only when colour is on. */
export function toneProps(color: boolean, tone: Tone): { color?: string; dimColor?: boolean } {
  if (!color) return {};
  return tone === 'gray' ? { dimColor: true } : { color: tone };
}
