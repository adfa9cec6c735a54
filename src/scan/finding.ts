/**
 * A vulnerability finding as multiarch sees it, whichever scanner reported it: the scanners'
 * documents are parsed into this shape (src/scanners/*) and everything after — policy, reports,
 * cache — works on it. Pure.
 */
import { SEVERITIES, type ScannerName, type Severity } from '../config/scan.js';

/** Trivy's vocabulary; Grype's fix states are mapped onto it. */
export type FindingStatus = 'fixed' | 'affected' | 'will_not_fix' | 'fix_deferred' | 'end_of_life' | 'not_affected' | 'under_investigation' | 'unknown';

export interface Finding {
  /** `CVE-2023-4911`, `GHSA-…`: what exceptions name. */
  readonly id: string;
  /** Other ids of the same vulnerability (Grype's related CVEs, Trivy's vendor ids). */
  readonly aliases: readonly string[];
  readonly package: string;
  readonly installed: string;
  /** Versions that fix it, comma-separated as the scanner says; '' when there is no fix. */
  readonly fixed: string;
  readonly severity: Severity;
  readonly status: FindingStatus;
  readonly title: string;
  /** Where to read about it; '' when the scanner gave none. */
  readonly url: string;
  /** What was scanned when the finding was made: `app (alpine 3.20.1)`, `usr/lib/node_modules/…`. */
  readonly target: string;
}

export type SeverityCounts = Readonly<Record<Severity, number>>;

export interface ScannerInfo {
  readonly name: ScannerName;
  readonly version: string;
  /** Identifies the vulnerability data: a new one means every image is scanned again. */
  readonly db: { readonly version: string; readonly updatedAt?: string };
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** A scanner's word for a severity, in any case; what is not one of ours is UNKNOWN. */
export function normalizeSeverity(raw: unknown): Severity {
  const upper = typeof raw === 'string' ? raw.trim().toUpperCase() : '';
  if (upper === 'NEGLIGIBLE') return 'LOW';
  return (SEVERITIES as readonly string[]).includes(upper) ? (upper as Severity) : 'UNKNOWN';
}

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

/** The seed's line: `Total: 3 (UNKNOWN: 0, LOW: 1, MEDIUM: 0, HIGH: 2, CRITICAL: 0)`. */
export function formatCounts(counts: SeverityCounts): string {
  const total = SEVERITIES.reduce((sum, s) => sum + counts[s], 0);
  return `Total: ${total} (${SEVERITIES.map((s) => `${s}: ${counts[s]}`).join(', ')})`;
}

/** One finding per vulnerability, package, version and target; most severe first, then by id. */
export function dedupeFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Map<string, Finding>();
  for (const f of findings) {
    const key = [f.id, f.package, f.installed, f.target].join('\u0000');
    const prior = seen.get(key);
    if (!prior || severityRank(f.severity) > severityRank(prior.severity)) seen.set(key, f);
  }
  return [...seen.values()].sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || a.id.localeCompare(b.id) || a.package.localeCompare(b.package),
  );
}

/** `CVE-2023-4911 HIGH glibc 2.35-0ubuntu3 → 2.35-0ubuntu3.4 (Looney Tunables)` */
export function formatFinding(f: Finding): string {
  const fix = f.fixed ? ` → ${f.fixed}` : ' (no fix)';
  return `${f.id} ${f.severity} ${f.package} ${f.installed}${fix}${f.title ? ` — ${f.title}` : ''}`;
}
