/**
 * `scan`: the vulnerability gate between test and push. Schemas for the top-level default and the
 * per-image override, the resolved policy the planner puts on scan nodes, and the merge of the two
 * (an image's fields override, its exceptions extend the top-level ones that name it). Pure.
 */
import { z } from 'zod';
import type { ConfigIssue } from './issue.js';

export const SCANNERS = ['trivy', 'grype'] as const;
export type ScannerName = (typeof SCANNERS)[number];

/** Lowest to highest. UNKNOWN is counted and reported but never fails a policy on its own. */
export const SEVERITIES = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type FailOn = 'critical' | 'high' | 'medium' | 'low';

export const DEFAULT_SCAN_TIMEOUT_SECONDS = 600;
export const DEFAULT_FAIL_ON: FailOn = 'high';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `2027-03-01` that is a real calendar day. */
export function isCalendarDay(text: string): boolean {
  const m = DAY.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= days[mo - 1]!;
}

const exceptionFields = {
  /** The finding's id as the scanner reports it (`CVE-2023-4911`, `GHSA-…`); aliases match too. */
  id: z.string().min(1, { error: 'exception id must not be empty' }),
  /** Last day the exception applies (`YYYY-MM-DD`); from the day after it is reported as expired. */
  until: z.string().refine(isCalendarDay, { error: 'until must be a date such as "2027-03-01" (YYYY-MM-DD)' }),
  /** Why the finding is accepted: shown in every report that the exception lets something through. */
  reason: z.string().trim().min(1, { error: 'reason must say why the finding is accepted' }),
};

const policyFields = {
  /** 'trivy' | 'grype' | 'none'. Default 'trivy' once `scan` is set. */
  scanner: z.enum(['trivy', 'grype', 'none']).optional(),
  /** Lowest severity that fails the image: critical | high | medium | low. Default 'high'. */
  failOn: z.enum(['critical', 'high', 'medium', 'low']).optional(),
  /** Findings without a fixed version do not fail. Default false. */
  ignoreUnfixed: z.boolean().optional(),
  /** A missing scanner is an error (default) rather than a reason to publish unscanned. */
  required: z.boolean().optional(),
  /** Seconds one scan may take. Default 600. */
  timeout: z.number().positive().optional(),
};

export const scanSchema = z.strictObject({
  ...policyFields,
  /** Reviewed, expiring exceptions; `images` limits one to those images. */
  exceptions: z.array(z.strictObject({ ...exceptionFields, images: z.array(z.string().min(1)).min(1).optional() })).optional(),
  /** The scanner's cache (and DB) directory, relative to the config file. */
  cacheDir: z.string().min(1).optional(),
  /** Use the vulnerability DB as it is: no download, no update, no network lookups. */
  offline: z.boolean().optional(),
  /** Where the DB comes from: Trivy's --db-repository, Grype's GRYPE_DB_UPDATE_URL. */
  dbRepository: z.string().min(1).optional(),
});

export const imageScanSchema = z.strictObject({
  ...policyFields,
  /** Added to the top-level exceptions that apply to this image. */
  exceptions: z.array(z.strictObject(exceptionFields)).optional(),
});

export type UserScan = z.input<typeof scanSchema>;
export type UserImageScan = z.input<typeof imageScanSchema>;

export interface ScanException {
  readonly id: string;
  readonly until: string;
  readonly reason: string;
  /** Where it is written, as config paths read: `scan.exceptions[0]`, `images.web.scan.exceptions[1]`. */
  readonly source: string;
}

export interface ScanPolicy {
  readonly failOn: Severity;
  readonly ignoreUnfixed: boolean;
  readonly exceptions: readonly ScanException[];
}

export interface ScannerOptions {
  /** Absolute. */
  readonly cacheDir?: string;
  readonly offline: boolean;
  readonly dbRepository?: string;
}

export interface ResolvedScan {
  readonly scanner: ScannerName;
  readonly required: boolean;
  readonly timeoutSeconds: number;
  readonly policy: ScanPolicy;
  readonly options: ScannerOptions;
}

/** The image's scan settings, or undefined when it is not scanned. */
export function resolveImageScan(
  image: string,
  top: UserScan | undefined,
  own: UserImageScan | undefined,
  resolvePath: (p: string) => string,
): ResolvedScan | undefined {
  if (!top && !own) return undefined;
  const scanner = own?.scanner ?? top?.scanner ?? 'trivy';
  if (scanner === 'none') return undefined;
  const exceptions: ScanException[] = [];
  top?.exceptions?.forEach((e, i) => {
    if (!e.images || e.images.includes(image)) exceptions.push({ id: e.id, until: e.until, reason: e.reason.trim(), source: `scan.exceptions[${i}]` });
  });
  own?.exceptions?.forEach((e, i) => {
    exceptions.push({ id: e.id, until: e.until, reason: e.reason.trim(), source: `images.${image}.scan.exceptions[${i}]` });
  });
  return {
    scanner,
    required: own?.required ?? top?.required ?? true,
    timeoutSeconds: own?.timeout ?? top?.timeout ?? DEFAULT_SCAN_TIMEOUT_SECONDS,
    policy: {
      failOn: (own?.failOn ?? top?.failOn ?? DEFAULT_FAIL_ON).toUpperCase() as Severity,
      ignoreUnfixed: own?.ignoreUnfixed ?? top?.ignoreUnfixed ?? false,
      exceptions,
    },
    options: {
      ...(top?.cacheDir ? { cacheDir: resolvePath(top.cacheDir) } : {}),
      offline: top?.offline ?? false,
      ...(top?.dbRepository ? { dbRepository: top.dbRepository } : {}),
    },
  };
}

/** Top-level exceptions may only name images the config has. */
export function checkScanRules(top: UserScan | undefined, imageNames: readonly string[], closest: (name: string) => string | undefined): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  top?.exceptions?.forEach((e, i) => {
    e.images?.forEach((name, j) => {
      if (imageNames.includes(name)) return;
      const guess = closest(name);
      issues.push({
        path: ['scan', 'exceptions', i, 'images', j],
        message: `exception ${e.id} names image "${name}", which is not in this config${guess ? ` — did you mean "${guess}"?` : ''}`,
        hint: `images are: ${imageNames.join(', ')}`,
      });
    });
  });
  return issues;
}
