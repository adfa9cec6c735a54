/** The scan step with stand-in scanner services: cache reuse, policy verdicts, what is recorded. */
import { describe, expect, it } from 'vitest';
import { isMultiarchError } from '../../../src/errors/multiarch-error.js';
import type { StepContext } from '../../../src/exec/execute.js';
import type { ScanRequest, Scanners } from '../../../src/exec/ports/scanner.js';
import { runScan, type ScanDeps } from '../../../src/exec/steps/scan.js';
import type { Finding, ScannerInfo } from '../../../src/scan/finding.js';
import type { ScanRecord } from '../../../src/scan/record.js';
import { node, plan } from '../plan/fixtures.js';

const INFO: ScannerInfo = { name: 'trivy', version: '0.58.1', db: { version: 'v2 2026-11-30T12:00:00Z' } };
const high: Finding = { id: 'CVE-1', aliases: [], package: 'openssl', installed: '3.0.0', fixed: '3.0.1', severity: 'HIGH', status: 'fixed', title: 'bad', url: '', target: 'x' };

function setup(options: { cached?: readonly Finding[]; scanned?: readonly Finding[]; policy?: Record<string, unknown> }) {
  const p = plan({ scan: options.policy ?? {}, images: { web: { context: './web', platforms: ['linux/arm64'], tags: ['v1'] } } });
  const scanNode = node(p, 'scan', 'scan:web@linux/arm64');
  const calls: string[] = [];
  const records: ScanRecord[] = [];
  const scans: Scanners = {
    today: '2026-12-01',
    prepare: async () => {
      calls.push('prepare');
      return INFO;
    },
    cached: async () => options.cached,
    scan: async (_info, o: ScanRequest) => {
      await o.writeArchive('/tmp/image.tar');
      calls.push(`scan ${o.imageId} ${o.timeoutSeconds}s`);
      return options.scanned ?? [];
    },
    record: (r) => records.push(r),
  };
  const logs: string[] = [];
  const ctx: StepContext = {
    signal: new AbortController().signal,
    outputOf: <T>() => ({ imageId: 'sha256:abc', platform: scanNode.platform, builder: 'default' }) as T,
    progress: () => undefined,
    wrote: () => undefined,
    log: (line) => logs.push(line),
  };
  // The scanner gets the archive of the image the build made (its one export this run).
  const images: ScanDeps['images'] = { writeArchive: (built) => async (file) => void calls.push(`archive ${built.imageId} ${built.builder} → ${file}`) };
  const deps: ScanDeps = { scanners: scans, images };
  return { run: () => runScan(deps, scanNode, ctx), calls, records, logs };
}

describe('scan step', () => {
  it('scans the built image when nothing is cached, and passes a clean one', async () => {
    const s = setup({ scanned: [] });
    const result = await s.run();
    expect(s.calls).toEqual(['prepare', 'archive sha256:abc default → /tmp/image.tar', 'scan sha256:abc 600s']);
    expect(result.status).toBeUndefined();
    expect(result.output).toEqual({ imageId: 'sha256:abc', platform: { os: 'linux', architecture: 'arm64' }, builder: 'default' });
    expect(result.info?.summary).toBe('Total: 0 (UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0); passed (fails on HIGH and above)');
    expect(s.records).toMatchObject([{ node: 'scan:web@linux/arm64', image: 'web', platform: 'linux/arm64', imageId: 'sha256:abc', cached: false }]);
  });

  it('reuses a cached result: no scan, status cached', async () => {
    const s = setup({ cached: [] });
    expect((await s.run()).status).toBe('cached');
    expect(s.calls).toEqual(['prepare']);
    expect(s.records[0]!.cached).toBe(true);
  });

  it('a rejected image fails with E_SCAN_POLICY, the failing findings as details, and is still recorded', async () => {
    const s = setup({ scanned: [high] });
    const error = await s.run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isMultiarchError(error) && error.code).toBe('E_SCAN_POLICY');
    if (!isMultiarchError(error)) return;
    expect(error.message).toBe('web linux/arm64: 1 finding at HIGH or above fails the policy (trivy 0.58.1, DB v2 2026-11-30T12:00:00Z)');
    expect(error.details).toEqual(['Total: 1 (UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 1, CRITICAL: 0)', '✗ CVE-1 HIGH openssl 3.0.0 → 3.0.1 — bad']);
    expect(error.hint).toContain('nothing of web is pushed');
    expect(s.records[0]!.verdict.passed).toBe(false);
  });

  it('an exception in force lets it through and says so', async () => {
    const s = setup({ scanned: [high], policy: { exceptions: [{ id: 'CVE-1', until: '2026-12-01', reason: 'not reachable' }] } });
    const result = await s.run();
    expect(result.info?.summary).toContain('passed (fails on HIGH and above, 1 exception; 1 excepted)');
    expect(s.logs).toContain('exception CVE-1 (scan.exceptions[0], until 2026-12-01) applied to 1 finding: not reachable');
  });
});
