/**
 * A verdict in words, for the terminal and error details: the seed's `Total:` line, the findings
 * that failed the policy, and what each exception did (applied, or expired and no longer applying).
 * Pure.
 */
import type { ScanPolicy } from '../config/scan.js';
import { formatCounts, formatFinding } from './finding.js';
import type { PolicyVerdict } from './policy.js';

/** `fails on HIGH and above, unfixed ignored, 1 exception` */
export function describePolicy(policy: ScanPolicy): string {
  const parts = [policy.failOn === 'CRITICAL' ? 'fails on CRITICAL' : `fails on ${policy.failOn} and above`];
  if (policy.ignoreUnfixed) parts.push('unfixed ignored');
  if (policy.exceptions.length > 0) parts.push(`${policy.exceptions.length} exception${policy.exceptions.length === 1 ? '' : 's'}`);
  return parts.join(', ');
}

export interface VerdictText {
  /** `passed: fails on HIGH and above; 1 excepted` / `2 findings at HIGH or above fail the policy`. */
  readonly headline: string;
  readonly lines: readonly string[];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function describeVerdict(verdict: PolicyVerdict, policy: ScanPolicy): VerdictText {
  const failing = verdict.findings.filter((j) => j.disposition === 'fail');
  const excepted = verdict.findings.filter((j) => j.disposition === 'excepted').length;
  const unfixed = verdict.findings.filter((j) => j.disposition === 'unfixed').length;
  const extra = [excepted > 0 ? `${excepted} excepted` : '', unfixed > 0 ? `${unfixed} unfixed ignored` : ''].filter(Boolean);
  const threshold = policy.failOn === 'CRITICAL' ? 'CRITICAL' : `${policy.failOn} or above`;
  const headline = verdict.passed
    ? `passed (${describePolicy(policy)}${extra.length ? `; ${extra.join(', ')}` : ''})`
    : `${plural(failing.length, 'finding')} at ${threshold} ${failing.length === 1 ? 'fails' : 'fail'} the policy`;
  const lines = [formatCounts(verdict.counts)];
  for (const j of failing) {
    const expired = j.exception ? ` [exception ${j.exception.source} expired ${j.exception.until}]` : '';
    lines.push(`✗ ${formatFinding(j.finding)}${j.finding.url ? ` ${j.finding.url}` : ''}${expired}`);
  }
  for (const use of verdict.exceptions) {
    const e = use.exception;
    if (use.state === 'applied') lines.push(`exception ${e.id} (${e.source}, until ${e.until}) applied to ${plural(use.matched, 'finding')}: ${e.reason}`);
    // An expired exception that matches nothing here is for the run's summary, not every image's.
    if (use.state === 'expired' && use.matched > 0) {
      lines.push(`exception ${e.id} (${e.source}) expired on ${e.until} and no longer applies (it matches ${plural(use.matched, 'finding')})`);
    }
  }
  return { headline, lines };
}
