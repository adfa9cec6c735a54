/**
 * The run summary's per-build cache rows: `web linux/arm64  1/2 steps from cache (from
 * 127.0.0.1:5000/team/web@sha256:…)`, and cache sources that could not be read. Pure.
 */
import type { RunSummary } from '../../exec/events.js';

export function buildCacheRows(summary: RunSummary, width: number): string[] {
  const rows: string[] = [];
  for (const node of summary.nodes) {
    const info = node.result;
    if (node.kind !== 'build' || !info?.cacheSteps) continue;
    const { cached, total } = info.cacheSteps;
    const from = info.cacheFrom ? ` (from ${shorten(info.cacheFrom)})` : info.cacheProblems ? '' : ' (no cache source)';
    rows.push(clip(`  ${node.label}  ${cached}/${total} steps from cache${from}`, width));
    for (const problem of info.cacheProblems ?? []) rows.push(clip(`    not used: ${problem}`, width));
  }
  return rows;
}

/** `…@sha256:0123456789ab`: the digest cut to 12 hex digits, like the rest of the summary. */
function shorten(ref: string): string {
  return ref.replace(/@sha256:([0-9a-f]{12})[0-9a-f]+$/, '@sha256:$1');
}

function clip(line: string, width: number): string {
  return line.length <= width ? line : `${line.slice(0, width - 1)}…`;
}
