/** One image/platform's scan as the reports see it: what was scanned, with what, and the verdict. Pure. */
import type { ScanPolicy } from '../config/scan.js';
import type { ScannerInfo } from './finding.js';
import type { PolicyVerdict } from './policy.js';

export interface ScanRecord {
  /** The scan node: `scan:web@linux/arm64`. */
  readonly node: string;
  readonly image: string;
  /** `linux/arm64`. */
  readonly platform: string;
  /** Absolute path of the image's Dockerfile: where SARIF results point. */
  readonly dockerfile: string;
  /** The engine's image id (config digest) of the platform image that was scanned. */
  readonly imageId: string;
  readonly scanner: ScannerInfo;
  /** The result came from the scan cache (same image, scanner and DB). */
  readonly cached: boolean;
  readonly policy: ScanPolicy;
  readonly verdict: PolicyVerdict;
}
