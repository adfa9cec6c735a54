/** Scan nodes in the plan: where they sit, what they gate, and what planning says about the cache. */
import { describe, expect, it } from 'vitest';
import type { PlanFacts } from '../../../src/plan/nodes.js';
import { formatPlanText } from '../../../src/ui/plan/plan-text.js';
import { ids, localConfig, node, plan } from './fixtures.js';

/** The plan as printed, wide enough that no step wraps (wrapping is tested in test/unit/ui). */
const planText = (p: Parameters<typeof formatPlanText>[0]) => formatPlanText(p, { color: false, width: 200 });

const scanned = (scan: Record<string, unknown> = {}, web: Record<string, unknown> = {}) => ({ ...localConfig({ web }), scan });

const trivyFacts = (over: Record<string, unknown> = {}): PlanFacts => ({
  today: '2026-12-01',
  scanners: { trivy: { available: true, version: '0.58.1', db: { version: 'v2 2026-11-30T12:00:00Z' }, dbUpdate: 'fresh', ...over } as never },
});

describe('createPlan: scan nodes', () => {
  it('one scan per image and platform, after the test (or the build when there is none)', () => {
    const p = plan(scanned());
    expect(ids(p, 'scan')).toEqual([
      'scan:base@linux/amd64',
      'scan:base@linux/arm64',
      'scan:base@linux/arm/v7',
      'scan:web@linux/amd64',
      'scan:web@linux/arm64',
      'scan:web@linux/arm/v7',
    ]);
    expect(node(p, 'scan', 'scan:base@linux/arm64').deps).toEqual(['test:base@linux/arm64']);
    expect(node(p, 'scan', 'scan:web@linux/arm64').deps).toEqual(['build:web@linux/arm64']);
    expect(node(p, 'scan', 'scan:web@linux/arm64')).toMatchObject({
      build: 'build:web@linux/arm64',
      scanner: 'trivy',
      platform: { os: 'linux', architecture: 'arm64' },
      dockerfile: '/abs/dir/web/Dockerfile',
      policy: { failOn: 'HIGH', ignoreUnfixed: false, exceptions: [] },
    });
  });

  it('every push of a scanned image waits for all of its scans; the index waits through the pushes', () => {
    const p = plan(scanned());
    const scans = ['scan:web@linux/amd64', 'scan:web@linux/arm64', 'scan:web@linux/arm/v7'];
    expect(node(p, 'push', 'push:web@linux/amd64->local').deps).toEqual(scans);
    expect(node(p, 'push', 'push:web@linux/arm/v7->local').deps).toEqual(scans);
    expect(node(p, 'index', 'index:web:v1->local').deps).toEqual(['push:web@linux/amd64->local', 'push:web@linux/arm64->local', 'push:web@linux/arm/v7->local']);
    // web is built on base's pushed digests, which wait for base's scans.
    expect(node(p, 'build', 'build:web@linux/arm64').deps).toEqual(['push:base@linux/arm64->local']);
    const order = p.order;
    for (const s of scans) expect(order.indexOf(s)).toBeLessThan(order.indexOf('push:web@linux/amd64->local'));
  });

  it('an image that is not scanned keeps its pushes on the test', () => {
    const p = plan(scanned({}, { scan: { scanner: 'none' } }));
    expect(ids(p, 'scan').filter((id) => id.includes('web'))).toEqual([]);
    expect(node(p, 'push', 'push:web@linux/arm64->local').deps).toEqual(['build:web@linux/arm64']);
  });

  it('a selected platform scans only that platform', () => {
    const p = plan(scanned(), {}, { images: ['base'], platforms: ['linux/arm64'] });
    expect(ids(p, 'scan')).toEqual(['scan:base@linux/arm64']);
    expect(node(p, 'push', 'push:base@linux/arm64->local').deps).toEqual(['scan:base@linux/arm64']);
  });

  it('a missing scanner that is not required: no scans, and a note saying the image is published unscanned', () => {
    const p = plan(scanned({ required: false }), { scanners: { trivy: { available: false, problem: 'trivy is not installed (not found on PATH)' } } });
    expect(ids(p, 'scan')).toEqual([]);
    expect(p.notes).toContainEqual({ image: 'web', message: 'not scanned: trivy is not installed (not found on PATH) (scan.required is false, so it is published unscanned)' });
  });

  it('a missing required scanner keeps the scans, and plan says apply refuses to start', () => {
    const p = plan(scanned(), { scanners: { trivy: { available: false, problem: 'trivy is not installed (not found on PATH)' } } });
    expect(ids(p, 'scan')).toHaveLength(6);
    expect(planText(p)).toContain('✗ trivy is not installed (not found on PATH): apply refuses to start (scan.required is true)');
  });

  it('notes exceptions that expired before today', () => {
    const exceptions = [
      { id: 'CVE-1', until: '2026-11-30', reason: 'old' },
      { id: 'CVE-2', until: '2026-12-01', reason: 'last day' },
    ];
    const p = plan(scanned({ exceptions }), trivyFacts());
    expect(p.notes.filter((n) => n.image === 'web')).toEqual([{ image: 'web', message: 'exception CVE-1 (scan.exceptions[0]) expired on 2026-11-30 and no longer applies' }]);
  });
});

describe('createPlan: what plan says about cached scans', () => {
  const last = (dbVersion: string, scannerVersion = '0.58.1') => ({ 'scan:web@linux/arm64': { imageId: 'sha256:abcdef0123456789', scannerVersion, dbVersion } });

  it.each([
    ['no earlier scan', trivyFacts(), undefined, { state: 'none' }, undefined],
    ['same scanner and DB: reused if the image is unchanged', trivyFacts(), last('v2 2026-11-30T12:00:00Z'), { state: 'reuse' }, 'is reused if the build gives the same image'],
    ['a new DB: scans again', trivyFacts(), last('v2 2026-11-29T12:00:00Z'), { state: 'new-db', from: 'v2 2026-11-29T12:00:00Z', to: 'v2 2026-11-30T12:00:00Z' }, 'new vulnerability DB since the last scan (v2 2026-11-29T12:00:00Z → v2 2026-11-30T12:00:00Z): scans again'],
    ['a new scanner: scans again', trivyFacts(), last('v2 2026-11-30T12:00:00Z', '0.57.0'), { state: 'new-scanner' }, 'new trivy since the last scan (0.57.0 → 0.58.1): scans again'],
    ['a DB update due: scans again', trivyFacts({ dbUpdate: 'due' }), last('v2 2026-11-30T12:00:00Z'), { state: 'db-update' }, 'due for an update: apply fetches it and scans again'],
  ])('%s', (_name, facts, lastScans, cache, text) => {
    const p = plan(scanned(), { ...facts, ...(lastScans ? { lastScans } : {}) });
    expect(node(p, 'scan', 'scan:web@linux/arm64').cache).toMatchObject(cache);
    const printed = planText(p);
    expect(printed).toContain('scan  linux/arm64  trivy 0.58.1, DB v2 2026-11-30T12:00:00Z — fails on HIGH and above');
    if (text) expect(printed).toContain(text);
    expect(printed).toContain('Plan: 6 builds, 3 tests, 6 scans, 6 pushes, 2 indexes');
  });
});
