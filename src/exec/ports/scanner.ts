/**
 * The scanner port: what the scan step asks of the vulnerability scanners (`scanners/` implements
 * it; `cli/` hands it in). The step gives the image as an archive writer, so a scanner never needs
 * an engine: every image reaches it through the one export path (exec/steps/image-exports.ts). Types only.
 */
import type { ScannerName, ScannerOptions } from '../../config/scan.js';
import type { Finding, ScannerInfo } from '../../scan/finding.js';
import type { ScanRecord } from '../../scan/record.js';

export interface ScanRequest {
  /** Writes the image as a `docker save`-format archive to `file` (exactly one platform's image). */
  readonly writeArchive: (file: string) => Promise<void>;
  readonly imageId: string;
  readonly options: ScannerOptions;
  readonly timeoutSeconds: number;
  readonly signal: AbortSignal;
  readonly onLine?: (line: string) => void;
  readonly onProgress?: (message: string) => void;
}

export interface Scanners {
  /** `YYYY-MM-DD` (UTC) when the run started: exceptions apply through their `until` day. */
  readonly today: string;
  /** Brings the scanner's DB up to date once per run and says which scanner and DB every scan uses. */
  prepare(name: ScannerName, options: ScannerOptions, signal: AbortSignal, onLine?: (line: string) => void): Promise<ScannerInfo>;
  /** Cached findings for this image, scanner and DB, if any. */
  cached(info: ScannerInfo, imageId: string): Promise<readonly Finding[] | undefined>;
  scan(info: ScannerInfo, request: ScanRequest): Promise<readonly Finding[]>;
  /** Keeps the scan's record for the reports written after the run. */
  record(record: ScanRecord): void;
}
