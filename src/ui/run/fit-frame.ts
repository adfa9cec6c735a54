/**
 * Fitting the live view into a terminal shorter than the graph. Ink redraws a frame in place only
 * while it is shorter than the terminal; a taller one makes it clear the screen and the scrollback
 * (`ESC[2J ESC[3J`) on every redraw. So the frame is given a row budget: failed and running images
 * keep their full grid while it fits, others fold into one line each, and what is left over becomes
 * "… N more". Pure: heights in, decisions out.
 */

export type FitStatus = 'failed' | 'running' | 'waiting';

export interface FitEntry {
  readonly name: string;
  readonly status: FitStatus;
  /** Rows of the full grid, including the blank line above it. */
  readonly fullHeight: number;
}

export interface FitResult {
  /** Shown in full, in the entries' order. */
  readonly full: ReadonlySet<string>;
  /** Shown as one line each. */
  readonly folded: ReadonlySet<string>;
  /** How many are not shown at all ("… N more"). */
  readonly hidden: number;
}

const PRIORITY: Readonly<Record<FitStatus, number>> = { failed: 0, running: 1, waiting: 2 };

/** `budget`: rows the images may take. Everything fits in full when it can. */
export function fitFrame(entries: readonly FitEntry[], budget: number): FitResult {
  const total = entries.reduce((sum, e) => sum + e.fullHeight, 0);
  if (total <= budget) return { full: new Set(entries.map((e) => e.name)), folded: new Set(), hidden: 0 };
  const first = place(entries, budget);
  // Something is hidden: its "… N more" line needs a row of its own.
  return first.hidden === 0 ? first : place(entries, budget - 1);
}

function place(entries: readonly FitEntry[], budget: number): FitResult {
  const full = new Set<string>();
  const folded = new Set<string>();
  const important = entries.filter((e) => e.status !== 'waiting').sort((a, b) => PRIORITY[a.status] - PRIORITY[b.status]);
  let left = Math.max(0, budget);
  // Each failed or running image is owed at least its one line before any is unfolded.
  let owed = Math.min(important.length, left);
  for (const entry of important) {
    if (left <= 0) break;
    owed = Math.max(0, owed - 1);
    if (entry.fullHeight <= left - owed) {
      full.add(entry.name);
      left -= entry.fullHeight;
    } else {
      folded.add(entry.name);
      left -= 1;
    }
  }
  for (const entry of entries) {
    if (left <= 0) break;
    if (entry.status !== 'waiting') continue;
    folded.add(entry.name);
    left -= 1;
  }
  return { full, folded, hidden: entries.length - full.size - folded.size };
}
