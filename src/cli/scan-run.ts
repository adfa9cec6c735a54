/**
 * apply's scanning around the executor: refuses to start when a required scanner is missing (before
 * anything is built), sets up the scan services, and after the run prints the scan section and
 * writes the reports (`--report-dir`, $GITHUB_STEP_SUMMARY).
 */
import path from 'node:path';
import type { ResolvedConfig } from '../config/resolved.js';
import { MultiarchError } from '../errors/multiarch-error.js';
import type { Plan } from '../plan/nodes.js';
import { INSTALL_HINTS } from '../scanners/run-scanner.js';
import { scanCacheDir } from '../scanners/scan-cache.js';
import { createScanServices, type ScanServices } from '../scanners/scan-services.js';
import { writeScanReports } from '../scanners/write-reports.js';
import { formatScanReport } from '../ui/run/scan-report.js';
import type { CliOptions } from './args.js';
import { resolveCacheDir } from '../facts/cache-dir.js';
import type { CliIo } from './io.js';
import { utcDay } from '../facts/scan-facts.js';

export interface ScanRun {
  readonly services?: ScanServices;
  /** Prints the scan section (unless --json) and writes the reports. */
  finish(color: boolean): Promise<void>;
}

export function startScanRun(plan: Plan, config: ResolvedConfig, options: CliOptions, io: CliIo): ScanRun {
  const scanNodes = plan.order.flatMap((id) => {
    const node = plan.nodes[id]!;
    return node.kind === 'scan' ? [node] : [];
  });
  const missing = scanNodes.filter((n) => n.scannerFacts && !n.scannerFacts.available);
  if (missing.length > 0) {
    const first = missing[0]!;
    const images = [...new Set(missing.map((n) => n.image))];
    const problem = first.scannerFacts && !first.scannerFacts.available ? first.scannerFacts.problem : `${first.scanner} is missing`;
    throw new MultiarchError('E_SCANNER_UNAVAILABLE', `${problem}; scan.required is true for ${images.join(', ')}, so nothing was built or pushed`, {
      hint: INSTALL_HINTS[first.scanner],
    });
  }
  if (scanNodes.length === 0 && !options.reportDir) return { finish: () => Promise.resolve() };
  const today = plan.facts.today ?? utcDay(new Date());
  const services = createScanServices({ today, cacheDir: scanCacheDir(resolveCacheDir(config, io)) });
  return {
    services,
    finish: async (color) => {
      // In plan order, whatever order the scans finished in.
      const order = new Map(plan.order.map((id, i) => [id, i]));
      const records = [...services.records].sort((a, b) => order.get(a.node)! - order.get(b.node)!);
      if (!options.json && records.length > 0) io.stdout(`\n${formatScanReport(records, { color })}\n`);
      const written = await writeScanReports({
        records,
        today,
        ...(options.reportDir ? { reportDir: path.resolve(io.cwd, options.reportDir) } : {}),
        baseDir: config.dir,
        env: io.env,
      });
      if (!options.json && written.length > 0) io.stdout(`Scan reports: ${written.map((f) => path.relative(io.cwd, f) || f).join(', ')}\n`);
    },
  };
}
