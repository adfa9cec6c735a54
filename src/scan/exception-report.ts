/**
 * What became of every exception over a whole run, across all the images and platforms it applies
 * to: `applied` (in force and matched at least one finding), `expired` (past its day: applies to nothing),
 * or `stale` (in force but matched nothing anywhere: the finding is gone, so is the need). Pure.
 */
import type { ScanException } from '../config/scan.js';
import type { ScanRecord } from './record.js';

export type RunExceptionState = 'applied' | 'expired' | 'stale';

export interface ExceptionReport {
  readonly exception: ScanException;
  readonly state: RunExceptionState;
  /** Image/platforms where it matched findings (whether or not it was still in force). */
  readonly matches: ReadonlyArray<{ readonly image: string; readonly platform: string; readonly findings: number }>;
}

export function reportExceptions(records: readonly ScanRecord[]): ExceptionReport[] {
  const bySource = new Map<string, { exception: ScanException; expired: boolean; matches: ExceptionReport['matches'][number][] }>();
  for (const record of records) {
    for (const use of record.verdict.exceptions) {
      const entry = bySource.get(use.exception.source) ?? { exception: use.exception, expired: false, matches: [] };
      bySource.set(use.exception.source, entry);
      if (use.state === 'expired') entry.expired = true;
      if (use.matched > 0) entry.matches.push({ image: record.image, platform: record.platform, findings: use.matched });
    }
  }
  return [...bySource.values()].map(({ exception, expired, matches }) => ({
    exception,
    state: expired ? 'expired' : matches.length > 0 ? 'applied' : 'stale',
    matches,
  }));
}
