/**
 * scan(image, platform): the node between test (or build) and push, and the facts planning needs
 * for it — the scanner's version and DB, and the last scan of what the image's local tag holds —
 * so `plan` can say whether apply will scan again, and why. Pure.
 */
import { formatPlatform, type Platform } from '../config/platform.js';
import type { ResolvedImage } from '../config/resolved.js';
import type { ResolvedScan, ScannerName, ScannerOptions, ScanPolicy } from '../config/scan.js';
import { isExpired } from '../scan/policy.js';
import type { RunAction } from './run-action.js';

export type ScannerFacts =
  | {
      readonly available: true;
      readonly version: string;
      /** Undefined when the scanner has no vulnerability DB yet (apply downloads one). */
      readonly db?: { readonly version: string; readonly updatedAt?: string };
      /** `due`: apply downloads a newer DB first; `check`: apply asks for one; `offline`: used as is. */
      readonly dbUpdate: 'due' | 'check' | 'fresh' | 'offline';
    }
  | { readonly available: false; readonly problem: string };

/** What the scan cache holds for the image a scan node's local tag points at now. */
export interface LastScanFacts {
  readonly imageId: string;
  readonly scannerVersion: string;
  readonly dbVersion: string;
}

/** What apply will do about the cached result, as far as planning can tell. */
export type ScanCacheOutlook =
  | { readonly state: 'none' }
  | { readonly state: 'reuse'; readonly imageId: string }
  | { readonly state: 'new-db' | 'new-scanner'; readonly imageId: string; readonly from: string; readonly to: string }
  | { readonly state: 'db-update'; readonly imageId: string };

export interface ScanNode {
  readonly id: string;
  readonly kind: 'scan';
  readonly image: string;
  readonly deps: readonly string[];
  readonly platform: Platform;
  /** The build node whose image is scanned. */
  readonly build: string;
  readonly scanner: ScannerName;
  readonly policy: ScanPolicy;
  readonly timeoutSeconds: number;
  readonly options: ScannerOptions;
  /** The Dockerfile the findings are reported against (SARIF locations). */
  readonly dockerfile: string;
  /** The scanner as planning found it; absent when it was not looked for. */
  readonly scannerFacts?: ScannerFacts;
  readonly cache?: ScanCacheOutlook;
  readonly action: RunAction;
}

export const scanNodeId = (image: string, p: Platform) => `scan:${image}@${formatPlatform(p)}`;

export interface ScanFacts {
  readonly today?: string;
  readonly scanners?: Partial<Record<ScannerName, ScannerFacts>>;
  /** By scan node id. */
  readonly lastScans?: Readonly<Record<string, LastScanFacts>>;
}

/** Whether this image gets scan nodes: a scanner that is missing but not required means no. */
export function scansImage(scan: ResolvedScan | undefined, facts: ScanFacts): scan is ResolvedScan {
  if (!scan) return false;
  const found = facts.scanners?.[scan.scanner];
  return scan.required || found === undefined || found.available;
}

export function createScanNode(image: ResolvedImage, scan: ResolvedScan, platform: Platform, deps: readonly string[], build: string, facts: ScanFacts): ScanNode {
  const id = scanNodeId(image.name, platform);
  const scannerFacts = facts.scanners?.[scan.scanner];
  const cache = scannerFacts?.available ? cacheOutlook(scannerFacts, facts.lastScans?.[id]) : undefined;
  return {
    id,
    kind: 'scan',
    image: image.name,
    deps,
    platform,
    build,
    scanner: scan.scanner,
    policy: scan.policy,
    timeoutSeconds: scan.timeoutSeconds,
    options: scan.options,
    dockerfile: image.dockerfile,
    ...(scannerFacts ? { scannerFacts } : {}),
    ...(cache ? { cache } : {}),
    action: { type: 'run' },
  };
}

function cacheOutlook(scanner: Extract<ScannerFacts, { available: true }>, last: LastScanFacts | undefined): ScanCacheOutlook {
  if (!last) return { state: 'none' };
  const { imageId } = last;
  if (last.scannerVersion !== scanner.version) return { state: 'new-scanner', imageId, from: last.scannerVersion, to: scanner.version };
  if (scanner.db && last.dbVersion !== scanner.db.version) return { state: 'new-db', imageId, from: last.dbVersion, to: scanner.db.version };
  if (scanner.dbUpdate === 'due' || !scanner.db) return { state: 'db-update', imageId };
  return { state: 'reuse', imageId };
}

/** Planner notes for an image's scan settings: unscanned images and exceptions already expired. */
export function scanNotes(image: ResolvedImage, facts: ScanFacts): string[] {
  const scan = image.scan;
  if (!scan) return [];
  const found = facts.scanners?.[scan.scanner];
  if (found && !found.available && !scan.required) {
    return [`not scanned: ${found.problem} (scan.required is false, so it is published unscanned)`];
  }
  const today = facts.today;
  if (!today) return [];
  return scan.policy.exceptions
    .filter((e) => isExpired(e, today))
    .map((e) => `exception ${e.id} (${e.source}) expired on ${e.until} and no longer applies`);
}
