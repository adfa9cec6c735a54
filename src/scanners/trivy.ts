/**
 * Trivy: `trivy image --input <archive> --format json` on the `docker save` archive of one
 * platform's image, with the DB refreshed once per run (`--download-db-only`) and every scan then
 * run with `--skip-db-update`. Reads `trivy version --format json` and SchemaVersion 2 reports
 * (`Results[].Vulnerabilities[]`). Pure.
 */
import type { ScannerOptions } from '../config/scan.js';
import { normalizeSeverity, type Finding, type FindingStatus } from '../scan/finding.js';
import { asArray, asRecord, asString, parseJson, ScannerOutputError, shortTitle, type Command, type ScanSpec, type ScannerAdapter, type VersionResult } from './scanner.js';

const STATUSES: readonly FindingStatus[] = ['fixed', 'affected', 'will_not_fix', 'fix_deferred', 'end_of_life', 'not_affected', 'under_investigation', 'unknown'];

function common(options: ScannerOptions): string[] {
  return options.cacheDir ? ['--cache-dir', options.cacheDir] : [];
}

/** `trivy image --input <archive>` writing `format` to the report: a scan and an SBOM differ only in format and scanners. */
function imageCommand(spec: Pick<ScanSpec, 'archive' | 'report' | 'options' | 'timeoutSeconds'>, format: string, scanners: readonly string[]): Command {
  return {
    file: 'trivy',
    args: [
      'image',
      '--input',
      spec.archive,
      '--format',
      format,
      '--output',
      spec.report,
      ...scanners,
      '--skip-db-update',
      ...(spec.options.offline ? ['--skip-java-db-update', '--offline-scan'] : []),
      '--no-progress',
      '--quiet',
      '--timeout',
      `${spec.timeoutSeconds}s`,
      ...common(spec.options),
    ],
    env: {},
  };
}

export const trivy: ScannerAdapter = {
  name: 'trivy',
  versionCommands: (options) => [{ file: 'trivy', args: ['version', '--format', 'json', ...common(options)], env: {} }],
  parseVersion: parseTrivyVersion,
  updateDbCommand: (options): Command => ({
    file: 'trivy',
    args: ['image', '--download-db-only', '--no-progress', '--quiet', ...common(options), ...(options.dbRepository ? ['--db-repository', options.dbRepository] : [])],
    env: {},
  }),
  scanCommand: (spec: ScanSpec): Command => imageCommand(spec, 'json', ['--scanners', 'vuln']),
  parseReport: parseTrivyReport,
  // `--format cyclonedx|spdx-json` lists packages only (Trivy turns security scanning off for it).
  sbomCommand: (spec) => imageCommand(spec, spec.format === 'spdx' ? 'spdx-json' : 'cyclonedx', []),
};

export function parseTrivyVersion(outputs: readonly string[]): VersionResult {
  const doc = asRecord(parseJson(outputs[0] ?? '', '`trivy version --format json`'));
  const version = asString(doc.Version);
  if (!version) throw new ScannerOutputError('`trivy version --format json` did not say its Version');
  const db = asRecord(doc.VulnerabilityDB);
  const updatedAt = asString(db.UpdatedAt);
  if (!updatedAt) return { version };
  const nextUpdate = asString(db.NextUpdate);
  return { version, db: { version: `v${asString(db.Version) || '?'} ${updatedAt}`, updatedAt, ...(nextUpdate ? { nextUpdate } : {}) } };
}

export function parseTrivyReport(text: string): Finding[] {
  const doc = asRecord(parseJson(text, 'the Trivy report'));
  if (doc.SchemaVersion !== 2) {
    throw new ScannerOutputError(`the Trivy report has SchemaVersion ${JSON.stringify(doc.SchemaVersion)}; multiarch reads SchemaVersion 2 (Trivy 0.20 and later)`);
  }
  return asArray(doc.Results).flatMap((raw) => {
    const result = asRecord(raw);
    const target = asString(result.Target);
    return asArray(result.Vulnerabilities).map((v) => toFinding(asRecord(v), target));
  });
}

function toFinding(v: Record<string, unknown>, target: string): Finding {
  const fixed = asString(v.FixedVersion);
  const status = asString(v.Status) as FindingStatus;
  return {
    id: asString(v.VulnerabilityID),
    aliases: asArray(v.VendorIDs).map(asString).filter(Boolean),
    package: asString(v.PkgName),
    installed: asString(v.InstalledVersion),
    fixed,
    severity: normalizeSeverity(v.Severity),
    // Reports before Trivy 0.37 have no Status: a fixed version is all there is to go by.
    status: STATUSES.includes(status) ? status : fixed ? 'fixed' : 'unknown',
    title: asString(v.Title) || shortTitle(asString(v.Description)),
    url: asString(v.PrimaryURL) || asString(asArray(v.References)[0]),
    target,
  };
}
