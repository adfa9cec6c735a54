/**
 * `--report-dir`'s scan-report.json: every image/platform scanned with its normalised findings,
 * what the policy made of each, the verdicts, and the run's exceptions. Pure.
 */
import type { Severity } from '../config/scan.js';
import type { Finding, SeverityCounts } from './finding.js';
import { reportExceptions, type RunExceptionState } from './exception-report.js';
import type { Disposition } from './policy.js';
import type { ScanRecord } from './record.js';

export interface ScanReportJson {
  readonly schemaVersion: 1;
  /** The day exceptions were judged against (UTC). */
  readonly today: string;
  readonly passed: boolean;
  readonly scans: ReadonlyArray<{
    readonly image: string;
    readonly platform: string;
    readonly node: string;
    readonly imageId: string;
    readonly scanner: { readonly name: string; readonly version: string; readonly db: string };
    readonly cached: boolean;
    readonly policy: { readonly failOn: Severity; readonly ignoreUnfixed: boolean };
    readonly passed: boolean;
    readonly counts: SeverityCounts;
    readonly findings: ReadonlyArray<Finding & { readonly disposition: Disposition; readonly exception: string | null }>;
  }>;
  readonly exceptions: ReadonlyArray<{
    readonly id: string;
    readonly until: string;
    readonly reason: string;
    readonly source: string;
    readonly state: RunExceptionState;
    readonly matches: ReadonlyArray<{ readonly image: string; readonly platform: string; readonly findings: number }>;
  }>;
}

export function toScanReportJson(records: readonly ScanRecord[], today: string): ScanReportJson {
  return {
    schemaVersion: 1,
    today,
    passed: records.every((r) => r.verdict.passed),
    scans: records.map((r) => ({
      image: r.image,
      platform: r.platform,
      node: r.node,
      imageId: r.imageId,
      scanner: { name: r.scanner.name, version: r.scanner.version, db: r.scanner.db.version },
      cached: r.cached,
      policy: { failOn: r.policy.failOn, ignoreUnfixed: r.policy.ignoreUnfixed },
      passed: r.verdict.passed,
      counts: r.verdict.counts,
      findings: r.verdict.findings.map((j) => ({ ...j.finding, disposition: j.disposition, exception: j.exception?.source ?? null })),
    })),
    exceptions: reportExceptions(records).map((e) => ({ ...e.exception, state: e.state, matches: e.matches })),
  };
}
