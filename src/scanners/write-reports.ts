/**
 * Writes a run's scan reports: `--report-dir` gets scan-report.json, scan-report.sarif and
 * scan-summary.md; on GitHub Actions the Markdown summary is appended to $GITHUB_STEP_SUMMARY. Edge.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { MultiarchError } from '../errors/multiarch-error.js';
import { toScanMarkdown } from '../scan/markdown.js';
import type { ScanRecord } from '../scan/record.js';
import { toScanReportJson } from '../scan/report-json.js';
import { toSarif } from '../scan/sarif.js';

export const REPORT_FILES = { json: 'scan-report.json', sarif: 'scan-report.sarif', markdown: 'scan-summary.md' } as const;

export interface WriteReportsOptions {
  readonly records: readonly ScanRecord[];
  readonly today: string;
  /** Absolute; undefined: no report files. */
  readonly reportDir?: string;
  /** SARIF locations are relative to this (the config's directory). */
  readonly baseDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The files written (report dir and step summary). */
export async function writeScanReports(o: WriteReportsOptions): Promise<string[]> {
  const written: string[] = [];
  const markdown = toScanMarkdown(o.records, o.today);
  try {
    if (o.reportDir) {
      await fs.mkdir(o.reportDir, { recursive: true });
      const files: Array<[string, string]> = [
        [REPORT_FILES.json, `${JSON.stringify(toScanReportJson(o.records, o.today), null, 2)}\n`],
        [REPORT_FILES.sarif, `${JSON.stringify(toSarif(o.records, { baseDir: o.baseDir }), null, 2)}\n`],
        [REPORT_FILES.markdown, markdown],
      ];
      for (const [name, text] of files) {
        const file = path.join(o.reportDir, name);
        await fs.writeFile(file, text);
        written.push(file);
      }
    }
    const summary = o.env.GITHUB_STEP_SUMMARY;
    // Nothing scanned, nothing to add to the job's summary.
    if (o.env.GITHUB_ACTIONS === 'true' && summary && o.records.length > 0) {
      await fs.appendFile(summary, `${markdown}\n`);
      written.push(summary);
    }
  } catch (error) {
    throw new MultiarchError('E_REPORT_WRITE', `could not write the scan reports: ${(error as Error).message}`, {
      hint: 'check that --report-dir (and $GITHUB_STEP_SUMMARY) can be written',
    });
  }
  return written;
}
