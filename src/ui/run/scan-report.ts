/**
 * The scan section printed after a run (plain and Ink alike): per image and platform the seed's
 * `Total:` line and verdict, the findings that failed, and what became of every exception. Pure.
 */
import { reportExceptions } from '../../scan/exception-report.js';
import type { ScanRecord } from '../../scan/record.js';
import { describeVerdict } from '../../scan/verdict-text.js';
import { createStyle } from '../color.js';
import { padEnd, wrapText } from '../../text/text-width.js';

export interface ScanReportOptions {
  readonly color: boolean;
  readonly width?: number;
}

export function formatScanReport(records: readonly ScanRecord[], options: ScanReportOptions): string {
  if (records.length === 0) return '';
  const style = createStyle(options.color);
  const width = Math.max(40, options.width ?? 80);
  const tools = [...new Set(records.map((r) => `${r.scanner.name} ${r.scanner.version}, DB ${r.scanner.db.version}`))];
  const lines = [style.bold(`Vulnerability scans (${tools.join('; ')})`)];
  const label = Math.max(...records.map((r) => `${r.image} ${r.platform}`.length));
  for (const r of records) {
    const text = describeVerdict(r.verdict, r.policy);
    const [total, ...rest] = text.lines;
    const verdict = r.verdict.passed ? style.green('✓ passed') : style.red('✗ failed');
    lines.push(`  ${padEnd(`${r.image} ${r.platform}`, label)}  ${verdict}  ${total}${r.cached ? style.dim(' (cached)') : ''}`);
    for (const line of rest) {
      const tone = line.startsWith('✗') ? style.red : line.includes('expired') ? style.yellow : style.dim;
      lines.push(...wrapText(line, width, '      ').map((l) => tone(l)));
    }
  }
  const exceptions = reportExceptions(records).filter((e) => e.state !== 'applied');
  if (exceptions.length > 0) {
    lines.push('', style.bold('Exceptions to review'));
    for (const e of exceptions) {
      const what =
        e.state === 'expired'
          ? `expired on ${e.exception.until}: no longer applies — fix the finding or renew the exception with a new review`
          : `stale: matched nothing in this run — remove it`;
      lines.push(...wrapText(`${e.exception.id} (${e.exception.source}) ${what}`, width, '  ').map((l) => style.yellow(l)));
    }
  }
  return lines.join('\n');
}
