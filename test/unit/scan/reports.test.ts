import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { reportExceptions } from '../../../src/scan/exception-report.js';
import { toScanMarkdown } from '../../../src/scan/markdown.js';
import { toScanReportJson } from '../../../src/scan/report-json.js';
import { toSarif } from '../../../src/scan/sarif.js';
import { describeVerdict } from '../../../src/scan/verdict-text.js';
import { formatScanReport } from '../../../src/ui/run/scan-report.js';
import { records, TODAY } from './fixtures.js';

const sarifSchema = JSON.parse(readFileSync(new URL('../../fixtures/sarif/sarif-2.1.0-subset.schema.json', import.meta.url), 'utf8')) as object;
const validateSarif = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(sarifSchema);

describe('verdict text', () => {
  it("the seed's Total line, the failing findings and what each exception did", () => {
    const [, api] = records();
    const text = describeVerdict(api!.verdict, api!.policy);
    expect(text.headline).toBe('1 finding at HIGH or above fails the policy');
    expect(text.lines).toEqual([
      'Total: 4 (UNKNOWN: 1, LOW: 1, MEDIUM: 0, HIGH: 2, CRITICAL: 0)',
      '✗ CVE-2024-58251 HIGH busybox 1.36.1-r15 (no fix) — busybox: netstat local users can launch of network application with an argument https://avd.aquasec.com/nvd/cve-2024-58251 [exception scan.exceptions[1] expired 2026-06-30]',
      'exception CVE-2024-6119 (scan.exceptions[0], until 2027-03-01) applied to 1 finding: not reachable: no TLS client',
      'exception CVE-2024-58251 (scan.exceptions[1]) expired on 2026-06-30 and no longer applies (it matches 1 finding)',
    ]);
  });

  it('a pass says what let findings through', () => {
    const [, , grype] = records();
    expect(describeVerdict(grype!.verdict, grype!.policy).headline).toBe('passed (fails on HIGH and above, unfixed ignored, 3 exceptions; 1 excepted, 1 unfixed ignored)');
  });
});

describe('exceptions over a run', () => {
  it('applied, expired and stale', () => {
    expect(reportExceptions(records()).map((e) => [e.exception.id, e.state, e.matches.map((m) => `${m.image} ${m.platform}`)])).toEqual([
      ['CVE-2024-6119', 'applied', ['api linux/amd64', 'api linux/arm64']],
      ['CVE-2024-58251', 'expired', ['api linux/amd64']],
      ['CVE-2020-0000', 'stale', []],
    ]);
  });
});

describe('scan-report.json', () => {
  it('normalised findings with their dispositions, verdicts and exceptions', () => {
    const json = toScanReportJson(records(), TODAY);
    expect(json).toMatchObject({ schemaVersion: 1, today: TODAY, passed: false });
    expect(json.scans.map((s) => [s.image, s.platform, s.scanner.name, s.passed, s.findings.length])).toEqual([
      ['web', 'linux/amd64', 'trivy', true, 0],
      ['api', 'linux/amd64', 'trivy', false, 4],
      ['api', 'linux/arm64', 'grype', true, 4],
    ]);
    expect(json.scans[1]!.findings[0]).toEqual({
      id: 'CVE-2024-58251',
      aliases: [],
      package: 'busybox',
      installed: '1.36.1-r15',
      fixed: '',
      severity: 'HIGH',
      status: 'affected',
      title: 'busybox: netstat local users can launch of network application with an argument',
      url: 'https://avd.aquasec.com/nvd/cve-2024-58251',
      target: '/tmp/multiarch-scan-def/image.tar (alpine 3.19.1)',
      disposition: 'fail',
      exception: 'scan.exceptions[1]',
    });
    expect(json.exceptions.map((e) => e.state)).toEqual(['applied', 'expired', 'stale']);
  });
});

describe('scan-report.sarif', () => {
  it('validates against the SARIF 2.1.0 schema (subset written from the spec)', () => {
    const log = toSarif(records(), { baseDir: '/work/app' });
    const ok = validateSarif(log);
    expect(validateSarif.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema really constrains: a misspelt key, a bad level and a missing message fail', () => {
    const log = JSON.parse(JSON.stringify(toSarif(records(), { baseDir: '/work/app' }))) as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    const result = log.runs[1]!.results[0]!;
    expect(validateSarif({ ...log, runs: [{ ...log.runs[1], results: [{ ...result, levle: 'error' }] }] })).toBe(false);
    expect(validateSarif({ ...log, runs: [{ ...log.runs[1], results: [{ ...result, level: 'fatal' }] }] })).toBe(false);
    const { message: _m, ...noMessage } = result;
    expect(validateSarif({ ...log, runs: [{ ...log.runs[1], results: [noMessage] }] })).toBe(false);
  });

  it('one run per image/platform, each its own category, rules with security-severity, results at the Dockerfile', () => {
    const log = toSarif(records(), { baseDir: '/work/app' });
    expect(log.version).toBe('2.1.0');
    expect(log.runs.map((r) => [r.tool.driver.name, r.automationDetails?.id])).toEqual([
      ['Trivy', 'multiarch/scan/web/linux-amd64/'],
      ['Trivy', 'multiarch/scan/api/linux-amd64/'],
      ['Grype', 'multiarch/scan/api/linux-arm64/'],
    ]);
    const api = log.runs[1]!;
    expect(api.tool.driver.rules?.find((r) => r.id === 'CVE-2024-58251')?.properties).toEqual({ 'security-severity': '8.0', tags: ['security', 'vulnerability', 'HIGH'] });
    const failing = api.results!.find((r) => r.ruleId === 'CVE-2024-58251')!;
    expect(failing.level).toBe('error');
    expect(failing.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe('api/Dockerfile');
    expect(api.tool.driver.rules![failing.ruleIndex!]!.id).toBe('CVE-2024-58251');
    const excepted = api.results!.find((r) => r.ruleId === 'CVE-2024-6119')!;
    expect(excepted.level).toBe('warning');
    expect(excepted.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'scan.exceptions[0] until 2027-03-01: not reachable: no TLS client' }]);
  });
});

describe('scan-summary.md', () => {
  it('a table per image/platform, the failing findings, and exceptions to review', () => {
    const md = toScanMarkdown(records(), TODAY);
    expect(md).toContain('## Vulnerability scans: 1 of 3 image/platform scans failed the policy');
    expect(md).toContain('| api | linux/amd64 | trivy 0.58.1 | 0 | 2 | 0 | 1 | 1 | ❌ failed: not published |');
    expect(md).toContain('| web | linux/amd64 | trivy 0.58.1 | 0 | 0 | 0 | 0 | 0 | ✅ passed |');
    expect(md).toContain('| [CVE-2024-58251](https://avd.aquasec.com/nvd/cve-2024-58251) | HIGH | busybox | 1.36.1-r15 | — |');
    expect(md).toContain('| CVE-2024-58251 | 2026-06-30 | ⚠️ expired: no longer applies | api linux/amd64 | netstat unused |');
    expect(md).toContain('| CVE-2020-0000 | 2027-01-01 | ⚠️ stale: matched nothing | — | long gone |');
  });
});

describe('terminal scan section', () => {
  it('per image and platform: verdict, Total line, failing findings; then exceptions to review', () => {
    const text = formatScanReport(records(), { color: false, width: 200 });
    expect(text.split('\n').slice(0, 3)).toEqual([
      'Vulnerability scans (trivy 0.58.1, DB v2 2026-11-30T12:11:37Z; grype 0.86.1, DB v6.0.2 2026-11-30T01:31:56Z)',
      '  web linux/amd64  ✓ passed  Total: 0 (UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0)',
      '  api linux/amd64  ✗ failed  Total: 4 (UNKNOWN: 1, LOW: 1, MEDIUM: 0, HIGH: 2, CRITICAL: 0)',
    ]);
    expect(text).toContain('      ✗ CVE-2024-58251 HIGH busybox 1.36.1-r15 (no fix)');
    expect(text).toContain('Exceptions to review');
    expect(text).toContain('  CVE-2020-0000 (scan.exceptions[2]) stale: matched nothing in this run — remove it');
  });
});
