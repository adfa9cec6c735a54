/**
 * What the scan step needs for one run: the scanners prepared once each (DB refreshed, version
 * read), the scan itself, the result cache, today's date as a fact for the policy, and the
 * collected records the reports are written from after the run. Edge.
 */
import type { Scanners } from '../exec/ports/scanner.js';
import { dedupeFindings, type ScannerInfo } from '../scan/finding.js';
import type { ScanRecord } from '../scan/record.js';
import { prepareScanner, scanImage } from './run-scanner.js';
import { isCacheHit, readScanCache, writeScanCache } from './scan-cache.js';

/** The scanner port (exec/ports/scanner.ts), plus the records the reports are written from. */
export interface ScanServices extends Scanners {
  readonly records: readonly ScanRecord[];
}

export interface ScanServicesOptions {
  readonly today: string;
  readonly cacheDir: string;
}

export function createScanServices({ today, cacheDir }: ScanServicesOptions): ScanServices {
  const prepared = new Map<string, Promise<ScannerInfo>>();
  const records: ScanRecord[] = [];
  return {
    today,
    prepare: (name, options, signal, onLine) => {
      const key = JSON.stringify([name, options]);
      let pending = prepared.get(key);
      if (!pending) {
        pending = prepareScanner(name, options, signal, onLine);
        // A failed or canceled preparation may be tried again by the next scan.
        pending.catch(() => prepared.delete(key));
        prepared.set(key, pending);
      }
      return pending;
    },
    cached: async (info, imageId) => {
      const entry = await readScanCache(cacheDir, info.name, imageId);
      return isCacheHit(entry, info) ? entry.findings : undefined;
    },
    scan: async (info, o) => {
      const findings = dedupeFindings(await scanImage(info.name, o));
      await writeScanCache(cacheDir, info, o.imageId, findings);
      return findings;
    },
    record: (record) => records.push(record),
    records,
  };
}
