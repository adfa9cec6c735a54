import { describe, expect, it } from 'vitest';
import { formatSection, pairedRatio, replaceSection, summarize, type Measurement } from '../../../bench/publish/report.js';

const registry = (blobBytes: number, max = 1) => ({ blobBytes, blobUploads: 4, maxUploadsOfOneBlob: max, mounts: 0, requests: 50 });
const rounds: Measurement[] = [
  { round: 1, tool: 'docker', publishMs: 4000, totalMs: 9000, registries: [registry(1000), registry(1000)] },
  { round: 1, tool: 'multiarch', publishMs: 2000, totalMs: 7000, registries: [registry(990), registry(990)] },
  { round: 2, tool: 'docker', publishMs: 6000, totalMs: 11000, registries: [registry(1000), registry(1000)] },
  { round: 2, tool: 'multiarch', publishMs: 3000, totalMs: 8000, registries: [registry(990), registry(990, 2)] },
];

describe('bench/publish report', () => {
  it('takes medians per tool and the worst repeated upload', () => {
    expect(summarize(rounds)).toEqual([
      { tool: 'docker', publishMs: 5000, totalMs: 10000, blobBytes: 2000, maxUploadsOfOneBlob: 1, mounts: 0, requests: 100 },
      { tool: 'multiarch', publishMs: 2500, totalMs: 7500, blobBytes: 1980, maxUploadsOfOneBlob: 2, mounts: 0, requests: 100 },
    ]);
  });

  it('states the ratio and both targets plainly', () => {
    const text = formatSection({ date: '2026-01-01', machine: 'test', image: 'web', rounds: 2 }, rounds);
    expect(text).toContain('Publish wall-time ratio multiarch / docker: **0.50** as a ratio of the medians, **0.50** as the median of each round');
    expect(text).toContain('target ≤ 0.7 on both: met. Whole-run ratio: 0.75.');
    expect(text).toContain('No blob uploaded twice to one registry: not met (2) for multiarch (docker: also none).');
  });

  it('pairs each round’s runs for the per-round ratio', () => {
    expect(pairedRatio(rounds, 'multiarch')).toBe(0.5);
    const skewed: Measurement[] = [...rounds, { ...rounds[0]!, round: 3, publishMs: 1000 }, { ...rounds[1]!, round: 3, publishMs: 900 }];
    expect(pairedRatio(skewed, 'multiarch')).toBe(0.5);
  });

  it('replaces only its own section of docs/benchmarks.md', () => {
    const doc = '# Benchmarks\n\n## Cold apply\n\nfast\n\n## Publish\n\nold numbers\n\n## Later\n\nkept\n';
    expect(replaceSection(doc, '## Publish\n\nnew numbers\n')).toBe('# Benchmarks\n\n## Cold apply\n\nfast\n\n## Publish\n\nnew numbers\n\n## Later\n\nkept\n');
    expect(replaceSection('# Benchmarks\n\n## Cold apply\n\nfast\n', '## Publish\n\nnew\n')).toBe('# Benchmarks\n\n## Cold apply\n\nfast\n\n## Publish\n\nnew\n');
    expect(replaceSection('', '## Publish\n\nnew\n')).toBe('## Publish\n\nnew\n');
  });
});
