/**
 * The policy engine: one image/platform's findings + its policy + today → which findings fail it,
 * which an exception let through, and what became of every exception. Exceptions are applied here,
 * on normalised findings, so expiry works the same for every scanner. `today` is a fact passed in
 * (`YYYY-MM-DD`): an exception applies through its `until` day. Pure.
 */
import type { ScanException, ScanPolicy } from '../config/scan.js';
import { countBySeverity, severityRank, type Finding, type SeverityCounts } from './finding.js';

/**
 * What the policy made of a finding: `fail`, `excepted` (an exception in force matched it),
 * `unfixed` (no fix and ignoreUnfixed), `below` (under failOn).
 */
export type Disposition = 'fail' | 'excepted' | 'unfixed' | 'below';

export interface JudgedFinding {
  readonly finding: Finding;
  readonly disposition: Disposition;
  /** The exception that matched (in force for `excepted`; expired for a `fail` it no longer covers). */
  readonly exception?: ScanException;
}

/** `applied`: in force and matched something; `expired`: past its day; `unused`: in force, matched nothing. */
export type ExceptionState = 'applied' | 'expired' | 'unused';

export interface ExceptionUse {
  readonly exception: ScanException;
  readonly state: ExceptionState;
  /** Findings it matched (whether or not it was in force). */
  readonly matched: number;
}

export interface PolicyVerdict {
  readonly passed: boolean;
  readonly counts: SeverityCounts;
  readonly findings: readonly JudgedFinding[];
  readonly exceptions: readonly ExceptionUse[];
}

export function isExpired(exception: Pick<ScanException, 'until'>, today: string): boolean {
  // YYYY-MM-DD strings order as dates.
  return today > exception.until;
}

export function exceptionMatches(exception: Pick<ScanException, 'id'>, finding: Finding): boolean {
  const id = exception.id.toUpperCase();
  return finding.id.toUpperCase() === id || finding.aliases.some((a) => a.toUpperCase() === id);
}

export function evaluatePolicy(findings: readonly Finding[], policy: ScanPolicy, today: string): PolicyVerdict {
  const threshold = severityRank(policy.failOn);
  const matched = new Map<ScanException, number>(policy.exceptions.map((e) => [e, 0]));
  const judged = findings.map((finding): JudgedFinding => {
    const matching = policy.exceptions.filter((e) => exceptionMatches(e, finding));
    for (const e of matching) matched.set(e, matched.get(e)! + 1);
    const active = matching.find((e) => !isExpired(e, today));
    if (severityRank(finding.severity) < threshold) return { finding, disposition: 'below' };
    if (policy.ignoreUnfixed && finding.fixed === '') return { finding, disposition: 'unfixed' };
    if (active) return { finding, disposition: 'excepted', exception: active };
    const expired = matching[0];
    return { finding, disposition: 'fail', ...(expired ? { exception: expired } : {}) };
  });
  const exceptions = policy.exceptions.map((exception): ExceptionUse => {
    const count = matched.get(exception)!;
    const state: ExceptionState = isExpired(exception, today) ? 'expired' : count > 0 ? 'applied' : 'unused';
    return { exception, state, matched: count };
  });
  return {
    passed: judged.every((j) => j.disposition !== 'fail'),
    counts: countBySeverity(findings),
    findings: judged,
    exceptions,
  };
}

export function failingFindings(verdict: PolicyVerdict): JudgedFinding[] {
  return verdict.findings.filter((j) => j.disposition === 'fail');
}
