import { describe, expect, it } from 'vitest';
import { grype, parseGrypeReport, parseGrypeVersion } from '../../../src/scanners/grype.js';
import { scannerFixture } from './fixtures.js';

describe('grype: commands', () => {
  it('scans the docker archive as JSON into a file, with DB auto-update off and the cache dir passed', () => {
    const command = grype.scanCommand({ archive: '/tmp/x/image.tar', report: '/tmp/x/grype.json', timeoutSeconds: 300, options: { offline: false, cacheDir: '/c' } });
    expect(command.args).toEqual(['docker-archive:/tmp/x/image.tar', '-o', 'json', '--file', '/tmp/x/grype.json']);
    expect(command.env).toEqual({ GRYPE_CHECK_FOR_APP_UPDATE: 'false', GRYPE_DB_CACHE_DIR: '/c', GRYPE_DB_AUTO_UPDATE: 'false' });
  });

  it('offline: an old DB is used as it is', () => {
    expect(grype.scanCommand({ archive: 'a', report: 'r', timeoutSeconds: 1, options: { offline: true } }).env.GRYPE_DB_VALIDATE_AGE).toBe('false');
  });

  it('updates the DB from the configured URL', () => {
    const command = grype.updateDbCommand({ offline: false, dbRepository: 'https://mirror.example/grype/listing.json' });
    expect(command.args).toEqual(['db', 'update']);
    expect(command.env.GRYPE_DB_UPDATE_URL).toBe('https://mirror.example/grype/listing.json');
  });
});

describe('grype: version and DB status', () => {
  it('reads both documents (schema v6)', () => {
    expect(parseGrypeVersion([scannerFixture('grype-version.json'), scannerFixture('grype-db-status.json')])).toEqual({
      version: '0.86.1',
      db: { version: 'v6.0.2 2026-11-30T01:31:56Z', updatedAt: '2026-11-30T01:31:56Z' },
    });
  });

  it('reads the schema v5 status shape', () => {
    const v5 = '{"schemaVersion":5,"built":"2024-05-01T01:30:45Z","location":"/root/.cache/grype/db/5","checksum":"sha256:abc","error":"none"}';
    expect(parseGrypeVersion([scannerFixture('grype-version.json'), v5]).db?.version).toBe('v5 2024-05-01T01:30:45Z');
  });

  it('no DB: status failed or invalid', () => {
    expect(parseGrypeVersion([scannerFixture('grype-version.json'), '']).db).toBeUndefined();
    expect(parseGrypeVersion([scannerFixture('grype-version.json'), '{"schemaVersion":"v6.0.2","built":"2026-01-01T00:00:00Z","valid":false}']).db).toBeUndefined();
  });
});

describe('grype: matches[] documents', () => {
  it('normalises severities (Negligible → LOW, Unknown), fix states and related ids', () => {
    const findings = parseGrypeReport(scannerFixture('grype-high.json'));
    expect(findings.map((f) => [f.id, f.severity, f.fixed, f.status, f.aliases])).toEqual([
      ['CVE-2024-6119', 'HIGH', '3.1.7-r0', 'fixed', []],
      ['GHSA-2026-xq3m-r4p6-9wvh', 'CRITICAL', '', 'affected', ['CVE-2026-1111']],
      ['CVE-2024-9143', 'LOW', '3.1.7-r1', 'fixed', []],
      ['CVE-2026-0001', 'UNKNOWN', '', 'unknown', []],
    ]);
    expect(findings[0]).toMatchObject({
      package: 'libcrypto3',
      installed: '3.1.4-r5',
      title: 'Issue summary: Applications performing certificate name checks (e.g., TLS clients checking server certificates) may att…',
      url: 'https://security.alpinelinux.org/vuln/CVE-2024-6119',
      target: '/lib/apk/db/installed',
    });
    expect(findings[2]!.target).toBe('apk');
    expect(findings[3]!.url).toBe('');
  });

  it('an image without findings', () => {
    expect(parseGrypeReport(scannerFixture('grype-empty.json'))).toEqual([]);
  });

  it('refuses what is not a grype JSON document', () => {
    expect(() => parseGrypeReport('{"Results":[]}')).toThrow(/no matches\[\]/);
  });
});
