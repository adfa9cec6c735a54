import { describe, expect, it } from 'vitest';
import type { ScanException, ScanPolicy, Severity } from '../../../src/config/scan.js';
import type { Finding } from '../../../src/scan/finding.js';
import { evaluatePolicy, type Disposition } from '../../../src/scan/policy.js';

const finding = (id: string, severity: Severity, fixed = '1.0.1', aliases: string[] = []): Finding => ({
  id,
  aliases,
  package: 'pkg',
  installed: '1.0.0',
  fixed,
  severity,
  status: fixed ? 'fixed' : 'affected',
  title: '',
  url: '',
  target: 'image (alpine 3.20)',
});
const exception = (id: string, until: string, source = 'scan.exceptions[0]'): ScanException => ({ id, until, reason: 'reviewed', source });
const policy = (over: Partial<ScanPolicy> = {}): ScanPolicy => ({ failOn: 'HIGH', ignoreUnfixed: false, exceptions: [], ...over });

const TODAY = '2026-12-01';

describe('evaluatePolicy: severity threshold', () => {
  it.each<[string, ScanPolicy['failOn'], Severity, Disposition]>([
    ['critical fails at high', 'HIGH', 'CRITICAL', 'fail'],
    ['high fails at high', 'HIGH', 'HIGH', 'fail'],
    ['medium passes at high', 'HIGH', 'MEDIUM', 'below'],
    ['high passes at critical', 'CRITICAL', 'HIGH', 'below'],
    ['low fails at low', 'LOW', 'LOW', 'fail'],
    ['unknown never fails, even at low', 'LOW', 'UNKNOWN', 'below'],
    ['medium fails at medium', 'MEDIUM', 'MEDIUM', 'fail'],
  ])('%s', (_name, failOn, severity, disposition) => {
    const verdict = evaluatePolicy([finding('CVE-1', severity)], policy({ failOn }), TODAY);
    expect(verdict.findings[0]!.disposition).toBe(disposition);
    expect(verdict.passed).toBe(disposition !== 'fail');
  });

  it('counts every finding by severity, whatever the policy made of it', () => {
    const verdict = evaluatePolicy([finding('a', 'HIGH'), finding('b', 'HIGH'), finding('c', 'LOW'), finding('d', 'UNKNOWN')], policy(), TODAY);
    expect(verdict.counts).toEqual({ UNKNOWN: 1, LOW: 1, MEDIUM: 0, HIGH: 2, CRITICAL: 0 });
  });

  it('no findings pass', () => {
    expect(evaluatePolicy([], policy({ failOn: 'LOW' }), TODAY)).toMatchObject({ passed: true, findings: [] });
  });
});

describe('evaluatePolicy: ignoreUnfixed', () => {
  it.each<[string, boolean, string, Disposition]>([
    ['unfixed fails without ignoreUnfixed', false, '', 'fail'],
    ['unfixed is ignored with ignoreUnfixed', true, '', 'unfixed'],
    ['fixed still fails with ignoreUnfixed', true, '2.0', 'fail'],
  ])('%s', (_name, ignoreUnfixed, fixed, disposition) => {
    expect(evaluatePolicy([finding('CVE-1', 'CRITICAL', fixed)], policy({ ignoreUnfixed }), TODAY).findings[0]!.disposition).toBe(disposition);
  });
});

describe('evaluatePolicy: expiring exceptions', () => {
  it.each<[string, string, Disposition, 'applied' | 'expired']>([
    ['in force until a later day', '2027-03-01', 'excepted', 'applied'],
    ['in force on its last day', TODAY, 'excepted', 'applied'],
    ['expired the day after', '2026-11-30', 'fail', 'expired'],
  ])('%s', (_name, until, disposition, state) => {
    const e = exception('CVE-2023-4911', until);
    const verdict = evaluatePolicy([finding('CVE-2023-4911', 'HIGH')], policy({ exceptions: [e] }), TODAY);
    expect(verdict.findings[0]).toMatchObject({ disposition, exception: e });
    expect(verdict.exceptions).toEqual([{ exception: e, state, matched: 1 }]);
    expect(verdict.passed).toBe(disposition === 'excepted');
  });

  it('matches aliases and ignores case', () => {
    const verdict = evaluatePolicy([finding('GHSA-xxxx', 'CRITICAL', '', ['CVE-2026-1111'])], policy({ exceptions: [exception('cve-2026-1111', '2027-01-01')] }), TODAY);
    expect(verdict.findings[0]!.disposition).toBe('excepted');
  });

  it('an exception that matched nothing is unused; one below the threshold still counts as matched', () => {
    const unused = exception('CVE-9999-0001', '2027-01-01', 'scan.exceptions[0]');
    const low = exception('CVE-1', '2027-01-01', 'scan.exceptions[1]');
    const verdict = evaluatePolicy([finding('CVE-1', 'LOW')], policy({ exceptions: [unused, low] }), TODAY);
    expect(verdict.exceptions.map((u) => [u.exception.source, u.state, u.matched])).toEqual([
      ['scan.exceptions[0]', 'unused', 0],
      ['scan.exceptions[1]', 'applied', 1],
    ]);
    expect(verdict.findings[0]!.disposition).toBe('below');
  });

  it('an expired exception is reported as expired even when it matched nothing', () => {
    const verdict = evaluatePolicy([], policy({ exceptions: [exception('CVE-1', '2020-01-01')] }), TODAY);
    expect(verdict.exceptions[0]!.state).toBe('expired');
  });

  it('a second, valid exception for the same id still applies when the first expired', () => {
    const old = exception('CVE-1', '2020-01-01', 'scan.exceptions[0]');
    const renewed = exception('CVE-1', '2027-01-01', 'images.web.scan.exceptions[0]');
    const verdict = evaluatePolicy([finding('CVE-1', 'HIGH')], policy({ exceptions: [old, renewed] }), TODAY);
    expect(verdict.findings[0]).toMatchObject({ disposition: 'excepted', exception: renewed });
    expect(verdict.passed).toBe(true);
  });

  it('only the failing findings fail: one excepted, one not', () => {
    const verdict = evaluatePolicy([finding('CVE-1', 'HIGH'), finding('CVE-2', 'CRITICAL')], policy({ exceptions: [exception('CVE-1', '2027-01-01')] }), TODAY);
    expect(verdict.findings.map((j) => j.disposition)).toEqual(['excepted', 'fail']);
    expect(verdict.passed).toBe(false);
  });
});
