/**
 * Scan gates on a real engine and registry, with `trivy` and `grype` stand-ins on PATH that replay
 * recorded reports in the real formats and check how they are called (test/e2e/support/fake-scanners).
 * One apply: a clean image publishes; an image with a HIGH finding on arm64 only publishes nothing
 * (not even its clean amd64 image); a valid exception lets an image through; an expired one does
 * not. Then the reports, and the scan cache as `plan` and a second apply see it.
 */
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { multiarch, parseEvents } from './support/cli.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';
import { listTags } from './support/registry.js';

/** `plan` wraps to 80 columns: read its text with line breaks and indentation folded to spaces. */
const unwrap = (text: string) => text.replace(/\s+/g, ' ');

const FAKES = path.join(path.dirname(new URL(import.meta.url).pathname), 'support/fake-scanners');
const SARIF_SCHEMA = JSON.parse(readFileSync(new URL('../fixtures/sarif/sarif-2.1.0-subset.schema.json', import.meta.url), 'utf8')) as object;

interface Call {
  tool: string;
  args: string[];
  architecture?: string;
  report?: string;
  GRYPE_DB_AUTO_UPDATE?: string;
}

const dockerfile = (reports: string) => `FROM ${testEnv().baseImage}\nLABEL e2e.scan.reports="${reports}"\n`;

describe('scan gates before push', () => {
  it('publishes clean and excepted images only, with reports, and reuses cached scans', async () => {
    const { registry } = testEnv();
    const stamp = Date.now();
    const tag = `t${stamp}`;
    const repo = (name: string) => `e2e/scan-${stamp}/${name}`;
    const publish = (name: string) => `publish: [{ registry: 'local', repository: '${repo(name)}' }]`;
    // Built by the engine: the scan cache this test checks is keyed by the engine's image ids
    // (images assembled without an engine are scanned from their blobs: docs/direct-builds.md).
    const image = (name: string, extra = '') => `    ${name}: { context: './${name}', platforms: ['linux/amd64', 'linux/arm64'], tags: ['${tag}'], build: { engine: 'docker' }, ${publish(name)}, ${extra} },`;
    const dir = makeFixture({
      'clean/Dockerfile': dockerfile('*=trivy-clean.json'),
      'vuln/Dockerfile': dockerfile('amd64=trivy-clean.json,arm64=trivy-high.json'),
      'excepted/Dockerfile': dockerfile('*=grype-high.json'),
      'expired/Dockerfile': dockerfile('*=trivy-high.json'),
      'multiarch.config.ts': `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { local: { url: '${registry}', insecure: true } },
  scan: {
    scanner: 'trivy',
    failOn: 'high',
    timeout: 120,
    cacheDir: '.scanner-cache',
    exceptions: [{ id: 'CVE-2000-0001', until: '2099-12-31', reason: 'kept for the stale report' }],
  },
  images: {
${image('clean')}
${image('vuln')}
${image('excepted', `scan: { scanner: 'grype', ignoreUnfixed: true, exceptions: [{ id: 'CVE-2024-6119', until: '2099-12-31', reason: 'no TLS client in this image' }] }`)}
${image('expired', `scan: { ignoreUnfixed: true, exceptions: [{ id: 'CVE-2024-6119', until: '2020-01-01', reason: 'was reviewed once' }] }`)}
  },
});
`,
    });
    const log = path.join(dir, 'scanner-calls.ndjson');
    const summaryFile = path.join(dir, 'step-summary.md');
    const env = {
      PATH: `${FAKES}:${process.env.PATH}`,
      FAKE_SCANNER_LOG: log,
      // The config's directory as multiarch resolves it (the fixtures' parent may be a symlink).
      FAKE_EXPECT_CACHE_DIR: path.join(realpathSync(dir), '.scanner-cache'),
      GITHUB_ACTIONS: 'true',
      GITHUB_STEP_SUMMARY: summaryFile,
    };
    const calls = (): Call[] => readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Call);

    const run = await multiarch(['apply', '--json', '--report-dir', 'reports'], { cwd: dir, env });
    expect(run.exitCode, run.all).toBe(1);
    const events = parseEvents(run.stdout);
    const end = (id: string) => events.find((e) => e.type === 'node:end' && e.id === id) as unknown as { status: string; reason?: string; error?: { code: string; message: string; details?: string[] }; result?: { summary?: string } };

    // clean: scanned per platform, published with its index.
    expect(end('scan:clean@linux/amd64').status).toBe('succeeded');
    expect(end('scan:clean@linux/arm64').result?.summary).toContain('Total: 0 (UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0)');
    expect(await listTags(`${registry}/${repo('clean')}`)).toEqual([tag, `${tag}-linux-amd64`, `${tag}-linux-arm64`]);

    // vuln: the HIGH finding is on arm64 only; it is found there, and nothing of the image is pushed.
    expect(end('scan:vuln@linux/amd64').status).toBe('succeeded');
    const rejected = end('scan:vuln@linux/arm64');
    expect(rejected.status).toBe('failed');
    expect(rejected.error?.code).toBe('E_SCAN_POLICY');
    expect(rejected.error?.message).toContain('vuln linux/arm64: 2 findings at HIGH or above fail the policy (trivy 0.58.1');
    expect(rejected.error?.details).toContain('Total: 4 (UNKNOWN: 1, LOW: 1, MEDIUM: 0, HIGH: 2, CRITICAL: 0)');
    expect(rejected.error?.details?.some((d) => d.startsWith('✗ CVE-2024-6119 HIGH libcrypto3 3.1.4-r5 → 3.1.7-r0'))).toBe(true);
    expect(end('push:vuln@linux/amd64->local')).toMatchObject({ status: 'skipped', reason: 'scan:vuln@linux/arm64' });
    expect(end(`index:vuln:${tag}->local`).status).toBe('skipped');
    expect(await listTags(`${registry}/${repo('vuln')}`)).toEqual([]);

    // excepted (Grype): the exception and ignoreUnfixed let it through; it is published.
    expect(end('scan:excepted@linux/arm64').result?.summary).toContain('passed (fails on HIGH and above, unfixed ignored, 2 exceptions; 1 excepted, 1 unfixed ignored)');
    expect(await listTags(`${registry}/${repo('excepted')}`)).toEqual([tag, `${tag}-linux-amd64`, `${tag}-linux-arm64`]);

    // expired: the same finding, an exception past its day: rejected, nothing published.
    const expired = end('scan:expired@linux/amd64');
    expect(expired.error?.code).toBe('E_SCAN_POLICY');
    expect(expired.error?.details).toContain('exception CVE-2024-6119 (images.expired.scan.exceptions[0]) expired on 2020-01-01 and no longer applies (it matches 1 finding)');
    expect(await listTags(`${registry}/${repo('expired')}`)).toEqual([]);

    // The scanners were called as documented: the DB refreshed once each, then every platform's
    // own image (a one-image docker-save archive) scanned with the cache dir and timeout passed.
    const first = calls();
    expect(first.filter((c) => c.args.includes('--download-db-only'))).toHaveLength(1);
    expect(first.filter((c) => c.tool === 'grype' && c.args.join(' ') === 'db update')).toHaveLength(1);
    const scans = first.filter((c) => c.report);
    expect(scans.map((c) => `${c.tool} ${c.architecture} ${c.report}`).sort()).toEqual([
      'grype amd64 grype-high.json',
      'grype arm64 grype-high.json',
      'trivy amd64 trivy-clean.json',
      'trivy amd64 trivy-clean.json',
      'trivy amd64 trivy-high.json',
      'trivy arm64 trivy-clean.json',
      'trivy arm64 trivy-high.json',
      'trivy arm64 trivy-high.json',
    ]);
    expect(scans.find((c) => c.tool === 'trivy')?.args).toEqual(expect.arrayContaining(['--timeout', '120s', '--skip-db-update', '--scanners', 'vuln']));
    expect(scans.filter((c) => c.tool === 'grype').every((c) => c.GRYPE_DB_AUTO_UPDATE === 'false')).toBe(true);

    // Reports: JSON with verdicts, SARIF 2.1.0 (one run per image/platform), Markdown, step summary.
    const report = JSON.parse(readFileSync(path.join(dir, 'reports/scan-report.json'), 'utf8')) as {
      passed: boolean;
      scans: Array<{ image: string; platform: string; passed: boolean }>;
      exceptions: Array<{ id: string; state: string }>;
    };
    expect(report.passed).toBe(false);
    expect(report.scans.filter((s) => !s.passed).map((s) => `${s.image} ${s.platform}`)).toEqual(['vuln linux/arm64', 'expired linux/amd64', 'expired linux/arm64']);
    expect(report.exceptions.map((e) => `${e.id} ${e.state}`)).toEqual(expect.arrayContaining(['CVE-2000-0001 stale', 'CVE-2024-6119 applied', 'CVE-2024-6119 expired']));
    const sarif = JSON.parse(readFileSync(path.join(dir, 'reports/scan-report.sarif'), 'utf8')) as { runs: Array<{ automationDetails: { id: string } }> };
    const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(SARIF_SCHEMA);
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    expect(sarif.runs).toHaveLength(8);
    expect(sarif.runs.map((r) => r.automationDetails.id)).toContain('multiarch/scan/vuln/linux-arm64/');
    const markdown = readFileSync(path.join(dir, 'reports/scan-summary.md'), 'utf8');
    expect(markdown).toContain('## Vulnerability scans: 3 of 8 image/platform scans failed the policy');
    expect(readFileSync(summaryFile, 'utf8')).toContain(markdown.trim());

    // Incremental: the published image is current, so apply would not build or scan it at all.
    const current = await multiarch(['plan', '--image', 'clean'], { cwd: dir, env });
    expect(unwrap(current.stdout)).toContain('Plan: 0 to build, 0 to push, 0 indexes to update, 7 unchanged.');
    // Rebuilt anyway (--force), plan sees the cache: same scanner and DB → reused; a new DB → scans again.
    const same = await multiarch(['plan', '--image', 'clean', '--force'], { cwd: dir, env });
    expect(same.exitCode, same.all).toBe(0);
    expect(unwrap(same.stdout)).toContain('Plan: 2 to build, 2 to push, 1 index to update, 0 unchanged.');
    expect(unwrap(same.stdout)).toContain('same scanner and DB) is reused if the build gives the same image');
    const newDb = await multiarch(['plan', '--image', 'clean', '--force'], { cwd: dir, env: { ...env, FAKE_TRIVY_DB_UPDATED_AT: '2026-12-01T00:00:00Z' } });
    expect(unwrap(newDb.stdout)).toContain('new vulnerability DB since the last scan (v2 2026-11-30T12:11:37.696263932Z → v2 2026-12-01T00:00:00Z): scans again');

    // A second (forced) apply of the unchanged image builds the same image and reuses both scans.
    const before = calls().length;
    const again = await multiarch(['apply', '--image', 'clean', '--force'], { cwd: dir, env });
    expect(again.exitCode, again.all).toBe(0);
    expect(again.stdout).toMatch(/clean linux\/arm64 scan\s+cached/);
    expect(again.stdout).toContain('Vulnerability scans (trivy 0.58.1, DB v2 2026-11-30T12:11:37.696263932Z)');
    expect(again.stdout).toContain('clean linux/amd64  ✓ passed  Total: 0 (UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0) (cached)');
    expect(calls().slice(before).filter((c) => c.report)).toEqual([]);
  });

  it('a missing scanner: required stops apply before anything is built; not required publishes unscanned', async () => {
    const { registry } = testEnv();
    const stamp = Date.now();
    const config = (required: boolean) => `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { local: { url: '${registry}', insecure: true } },
  scan: { scanner: 'grype', required: ${required} },
  images: { app: { context: './app', platforms: ['linux/amd64'], tags: ['t${stamp}'], publish: [{ registry: 'local', repository: 'e2e/scan-missing-${stamp}' }] } },
});
`;
    // No stand-ins on PATH: grype is not installed on the test machines.
    const dir = makeFixture({ 'app/Dockerfile': dockerfile('*=grype-high.json'), 'multiarch.config.ts': config(true) });
    const refused = await multiarch(['apply'], { cwd: dir });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('error grype is not installed (not found on PATH); scan.required is true for app, so nothing was built or pushed');
    expect(refused.stderr).toContain('hint: install Grype');
    expect(refused.stdout).not.toContain('build');
    expect(await listTags(`${registry}/e2e/scan-missing-${stamp}`)).toEqual([]);

    const optional = makeFixture({ 'app/Dockerfile': dockerfile('*=grype-high.json'), 'multiarch.config.ts': config(false) });
    const published = await multiarch(['apply'], { cwd: optional });
    expect(published.exitCode, published.all).toBe(0);
    expect(await listTags(`${registry}/e2e/scan-missing-${stamp}`)).toEqual([`t${stamp}`, `t${stamp}-linux-amd64`]);
    const plan = await multiarch(['plan'], { cwd: optional });
    expect(unwrap(plan.stdout)).toContain('app: not scanned: grype is not installed (not found on PATH) (scan.required is false, so it is published unscanned)');
  });
});
