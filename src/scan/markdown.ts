/**
 * `--report-dir`'s scan-summary.md, also appended to `$GITHUB_STEP_SUMMARY` on GitHub Actions: a
 * table of every image/platform with its counts and verdict, the findings that failed the policy,
 * and the run's exceptions with what became of them. Pure.
 */
import { formatCounts } from './finding.js';
import { reportExceptions } from './exception-report.js';
import type { ScanRecord } from './record.js';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function toScanMarkdown(records: readonly ScanRecord[], today: string): string {
  const failed = records.filter((r) => !r.verdict.passed);
  const lines = [
    `## Vulnerability scans: ${failed.length === 0 ? 'every image passed' : `${failed.length} of ${records.length} image/platform scans failed the policy`}`,
    '',
    '| Image | Platform | Scanner | Critical | High | Medium | Low | Unknown | Verdict |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of records) {
    const c = r.verdict.counts;
    const verdict = r.verdict.passed ? '✅ passed' : '❌ failed: not published';
    lines.push(`| ${cell(r.image)} | ${r.platform} | ${r.scanner.name} ${r.scanner.version}${r.cached ? ' (cached)' : ''} | ${c.CRITICAL} | ${c.HIGH} | ${c.MEDIUM} | ${c.LOW} | ${c.UNKNOWN} | ${verdict} |`);
  }
  for (const r of failed) {
    lines.push('', `### ${cell(r.image)} ${r.platform}: fails on ${r.policy.failOn} and above`, '', formatCounts(r.verdict.counts), '');
    lines.push('| ID | Severity | Package | Installed | Fixed | Title |', '| --- | --- | --- | --- | --- | --- |');
    for (const { finding: f } of r.verdict.findings.filter((j) => j.disposition === 'fail')) {
      const id = f.url ? `[${cell(f.id)}](${f.url})` : cell(f.id);
      lines.push(`| ${id} | ${f.severity} | ${cell(f.package)} | ${cell(f.installed)} | ${cell(f.fixed || '—')} | ${cell(f.title)} |`);
    }
  }
  const exceptions = reportExceptions(records);
  if (exceptions.length > 0) {
    lines.push('', `### Exceptions (judged on ${today}, UTC)`, '', '| ID | Until | State | Where | Reason |', '| --- | --- | --- | --- | --- |');
    for (const e of exceptions) {
      const where = e.matches.map((m) => `${m.image} ${m.platform}`).join(', ') || '—';
      const state = e.state === 'applied' ? 'applied' : e.state === 'expired' ? '⚠️ expired: no longer applies' : '⚠️ stale: matched nothing';
      lines.push(`| ${cell(e.exception.id)} | ${e.exception.until} | ${state} | ${cell(where)} | ${cell(e.exception.reason)} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
