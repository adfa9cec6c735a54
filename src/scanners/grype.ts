/**
 * Grype: `grype docker-archive:<archive> -o json --file <report>` on one platform's image, with
 * `grype db update` once per run and auto-update off for the scans. Reads `grype version -o json`,
 * `grype db status -o json` (schema v5 and v6 shapes) and the `matches[]` document. Grype's own
 * ignore rules have no expiry, so none are passed: multiarch applies its exceptions afterwards. Pure.
 */
import type { ScannerOptions } from '../config/scan.js';
import { normalizeSeverity, type Finding, type FindingStatus } from '../scan/finding.js';
import { asArray, asRecord, asString, parseJson, ScannerOutputError, shortTitle, type Command, type ScanSpec, type ScannerAdapter, type VersionResult } from './scanner.js';

function env(options: ScannerOptions, scanning: boolean): Record<string, string> {
  return {
    GRYPE_CHECK_FOR_APP_UPDATE: 'false',
    ...(options.cacheDir ? { GRYPE_DB_CACHE_DIR: options.cacheDir } : {}),
    ...(options.dbRepository ? { GRYPE_DB_UPDATE_URL: options.dbRepository } : {}),
    ...(scanning ? { GRYPE_DB_AUTO_UPDATE: 'false' } : {}),
    // Offline, an old DB is used as it is rather than refused.
    ...(scanning && options.offline ? { GRYPE_DB_VALIDATE_AGE: 'false' } : {}),
  };
}

export const grype: ScannerAdapter = {
  name: 'grype',
  versionCommands: (options) => [
    { file: 'grype', args: ['version', '-o', 'json'], env: env(options, false) },
    { file: 'grype', args: ['db', 'status', '-o', 'json'], env: env(options, false) },
  ],
  parseVersion: parseGrypeVersion,
  updateDbCommand: (options): Command => ({ file: 'grype', args: ['db', 'update'], env: env(options, false) }),
  scanCommand: (spec: ScanSpec): Command => ({
    file: 'grype',
    args: [`docker-archive:${spec.archive}`, '-o', 'json', '--file', spec.report],
    env: env(spec.options, true),
  }),
  parseReport: parseGrypeReport,
};

/** `outputs`: stdout of `grype version -o json`, then of `grype db status -o json` ('' when it failed). */
export function parseGrypeVersion(outputs: readonly string[]): VersionResult {
  const app = asRecord(parseJson(outputs[0] ?? '', '`grype version -o json`'));
  const version = asString(app.version);
  if (!version) throw new ScannerOutputError('`grype version -o json` did not say its version');
  const statusText = outputs[1]?.trim() ?? '';
  if (!statusText) return { version };
  const status = asRecord(parseJson(statusText, '`grype db status -o json`'));
  const built = asString(status.built);
  const error = asString(status.error);
  if (!built || status.valid === false || (error !== '' && error !== 'none')) return { version };
  const schema = asString(status.schemaVersion);
  return { version, db: { version: `${schema.startsWith('v') ? schema : `v${schema || '?'}`} ${built}`, updatedAt: built } };
}

const FIX_STATES: Readonly<Record<string, FindingStatus>> = {
  fixed: 'fixed',
  'not-fixed': 'affected',
  'wont-fix': 'will_not_fix',
  unknown: 'unknown',
};

export function parseGrypeReport(text: string): Finding[] {
  const doc = asRecord(parseJson(text, 'the Grype report'));
  if (!Array.isArray(doc.matches)) throw new ScannerOutputError('the Grype report has no matches[] (was it written with -o json?)');
  return doc.matches.map((raw) => {
    const match = asRecord(raw);
    const v = asRecord(match.vulnerability);
    const related = asArray(match.relatedVulnerabilities).map(asRecord);
    const artifact = asRecord(match.artifact);
    const fix = asRecord(v.fix);
    const fixed = asArray(fix.versions).map(asString).filter(Boolean).join(', ');
    const description = asString(v.description) || asString(related.find((r) => asString(r.description))?.description);
    const location = asString(asRecord(asArray(artifact.locations)[0]).path);
    return {
      id: asString(v.id),
      aliases: related.map((r) => asString(r.id)).filter((id) => id && id !== asString(v.id)),
      package: asString(artifact.name),
      installed: asString(artifact.version),
      fixed,
      severity: normalizeSeverity(v.severity),
      status: FIX_STATES[asString(fix.state)] ?? (fixed ? 'fixed' : 'unknown'),
      title: shortTitle(description),
      url: asString(v.dataSource) || asString(asArray(v.urls)[0]),
      target: location || asString(artifact.type),
    };
  });
}
