import { describe, expect, it } from 'vitest';
import { parseTrivyReport, parseTrivyVersion, trivy } from '../../../src/scanners/trivy.js';
import { scannerFixture } from './fixtures.js';

describe('trivy: commands', () => {
  it('scans the archive as JSON, vulnerabilities only, without touching the DB, with cache dir and timeout', () => {
    const command = trivy.scanCommand({ archive: '/tmp/x/image.tar', report: '/tmp/x/trivy.json', timeoutSeconds: 300, options: { offline: false, cacheDir: '/c' } });
    expect(command.file).toBe('trivy');
    expect(command.args).toEqual([
      'image', '--input', '/tmp/x/image.tar', '--format', 'json', '--output', '/tmp/x/trivy.json', '--scanners', 'vuln',
      '--skip-db-update', '--no-progress', '--quiet', '--timeout', '300s', '--cache-dir', '/c',
    ]);
  });

  it('offline: no Java DB update and no network lookups either', () => {
    const { args } = trivy.scanCommand({ archive: 'a.tar', report: 'r.json', timeoutSeconds: 60, options: { offline: true } });
    expect(args).toContain('--skip-java-db-update');
    expect(args).toContain('--offline-scan');
    expect(args).not.toContain('--cache-dir');
  });

  it('refreshes the DB from the configured repository, and reads the version from the same cache', () => {
    expect(trivy.updateDbCommand({ offline: false, cacheDir: '/c', dbRepository: 'mirror.example/trivy-db:2' }).args).toEqual([
      'image', '--download-db-only', '--no-progress', '--quiet', '--cache-dir', '/c', '--db-repository', 'mirror.example/trivy-db:2',
    ]);
    expect(trivy.versionCommands({ offline: false, cacheDir: '/c' })[0]!.args).toEqual(['version', '--format', 'json', '--cache-dir', '/c']);
  });
});

describe('trivy: version', () => {
  it('reads the version and the DB it would use', () => {
    expect(parseTrivyVersion([scannerFixture('trivy-version.json')])).toEqual({
      version: '0.58.1',
      db: { version: 'v2 2026-11-30T12:11:37.696263932Z', updatedAt: '2026-11-30T12:11:37.696263932Z', nextUpdate: '2026-11-30T18:11:37.696263532Z' },
    });
  });

  it('a fresh install has no DB yet', () => {
    expect(parseTrivyVersion([scannerFixture('trivy-version-nodb.json')])).toEqual({ version: '0.58.1' });
  });

  it('says what it could not read', () => {
    expect(() => parseTrivyVersion(['Version: 0.58.1'])).toThrow(/not JSON/);
    expect(() => parseTrivyVersion(['{}'])).toThrow(/did not say its Version/);
  });
});

describe('trivy: SchemaVersion 2 reports', () => {
  it('normalises every vulnerability of every result', () => {
    const findings = parseTrivyReport(scannerFixture('trivy-high.json'));
    expect(findings.map((f) => [f.id, f.severity, f.fixed, f.status])).toEqual([
      ['CVE-2024-6119', 'HIGH', '3.1.7-r0', 'fixed'],
      ['CVE-2024-9143', 'LOW', '3.1.7-r1', 'fixed'],
      ['CVE-2024-58251', 'HIGH', '', 'affected'],
      ['CVE-2026-0001', 'UNKNOWN', '', 'under_investigation'],
    ]);
    expect(findings[0]).toEqual({
      id: 'CVE-2024-6119',
      aliases: [],
      package: 'libcrypto3',
      installed: '3.1.4-r5',
      fixed: '3.1.7-r0',
      severity: 'HIGH',
      status: 'fixed',
      title: 'openssl: Possible denial of service in X.509 name checks',
      url: 'https://avd.aquasec.com/nvd/cve-2024-6119',
      target: '/tmp/multiarch-scan-def/image.tar (alpine 3.19.1)',
    });
  });

  it('a title from the description when there is none, and no URL when none is given', () => {
    const unknown = parseTrivyReport(scannerFixture('trivy-high.json')).at(-1)!;
    expect(unknown.title).toBe('A vulnerability that has not been scored yet.');
    expect(unknown.url).toBe('');
  });

  it('a clean image: results without vulnerabilities', () => {
    expect(parseTrivyReport(scannerFixture('trivy-clean.json'))).toEqual([]);
    expect(parseTrivyReport('{"SchemaVersion":2,"ArtifactType":"container_image"}')).toEqual([]);
  });

  it('refuses the old array format and other schema versions', () => {
    expect(() => parseTrivyReport('[{"Target":"x","Vulnerabilities":null}]')).toThrow(/SchemaVersion undefined.*SchemaVersion 2/);
    expect(() => parseTrivyReport('{"SchemaVersion":3}')).toThrow(/SchemaVersion 3/);
  });
});
