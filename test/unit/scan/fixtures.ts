/** Scan records as the scan step makes them, from the recorded scanner outputs and the real policy engine. */
import type { ScanPolicy } from '../../../src/config/scan.js';
import { dedupeFindings } from '../../../src/scan/finding.js';
import { evaluatePolicy } from '../../../src/scan/policy.js';
import type { ScanRecord } from '../../../src/scan/record.js';
import { parseGrypeReport } from '../../../src/scanners/grype.js';
import { parseTrivyReport } from '../../../src/scanners/trivy.js';
import { scannerFixture } from '../scanners/fixtures.js';

export const TODAY = '2026-12-01';

export function record(image: string, platform: string, report: string, policy: Partial<ScanPolicy> = {}): ScanRecord {
  const grype = report.startsWith('grype');
  const findings = dedupeFindings((grype ? parseGrypeReport : parseTrivyReport)(scannerFixture(report)));
  const full: ScanPolicy = { failOn: 'HIGH', ignoreUnfixed: false, exceptions: [], ...policy };
  return {
    node: `scan:${image}@${platform}`,
    image,
    platform,
    dockerfile: `/work/app/${image}/Dockerfile`,
    imageId: `sha256:${image.padEnd(64, '0')}`,
    scanner: grype
      ? { name: 'grype', version: '0.86.1', db: { version: 'v6.0.2 2026-11-30T01:31:56Z' } }
      : { name: 'trivy', version: '0.58.1', db: { version: 'v2 2026-11-30T12:11:37Z' } },
    cached: false,
    policy: full,
    verdict: evaluatePolicy(findings, full, TODAY),
  };
}

const exceptions = [
  { id: 'CVE-2024-6119', until: '2027-03-01', reason: 'not reachable: no TLS client', source: 'scan.exceptions[0]' },
  { id: 'CVE-2024-58251', until: '2026-06-30', reason: 'netstat unused', source: 'scan.exceptions[1]' },
  { id: 'CVE-2020-0000', until: '2027-01-01', reason: 'long gone', source: 'scan.exceptions[2]' },
];

/** A clean image, one failing on amd64 with an applied, an expired and a stale exception, and a Grype scan. */
export const records = (): ScanRecord[] => [
  record('web', 'linux/amd64', 'trivy-clean.json', { exceptions }),
  record('api', 'linux/amd64', 'trivy-high.json', { exceptions }),
  record('api', 'linux/arm64', 'grype-high.json', { exceptions, ignoreUnfixed: true }),
];
