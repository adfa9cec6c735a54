/** The `scan` config: defaults, per-image override and extension, and its errors located in the source. */
import { describe, expect, it } from 'vitest';
import type { ResolvedScan } from '../../../src/config/scan.js';
import { validateConfig } from '../../../src/config/validate.js';
import { lines, loadError, project } from './fixtures.js';

const FILE = '/abs/dir/multiarch.config.ts';
const image = (extra: Record<string, unknown> = {}) => ({ context: '.', platforms: ['linux/amd64'], tags: ['v1'], ...extra });

function scansOf(input: Record<string, unknown>): Record<string, ResolvedScan | undefined> {
  const result = validateConfig(input, FILE);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return Object.fromEntries(Object.entries(result.config.images).map(([name, i]) => [name, i.scan]));
}

const exception = (id: string, extra: Record<string, unknown> = {}) => ({ id, until: '2027-03-01', reason: 'not reachable', ...extra });

describe('scan config: resolution', () => {
  it('no scan anywhere: nothing is scanned (configs from before scanning keep working)', () => {
    expect(scansOf({ images: { web: image() } })).toEqual({ web: undefined });
  });

  it('a top-level scan applies to every image, with defaults', () => {
    expect(scansOf({ scan: {}, images: { web: image() } }).web).toEqual({
      scanner: 'trivy',
      required: true,
      timeoutSeconds: 600,
      policy: { failOn: 'HIGH', ignoreUnfixed: false, exceptions: [] },
      options: { offline: false },
    });
  });

  it.each([
    ['the image overrides the scanner', { scanner: 'trivy' }, { scanner: 'grype' }, { scanner: 'grype' }],
    ['the image overrides failOn', { failOn: 'critical' }, { failOn: 'medium' }, { policy: expect.objectContaining({ failOn: 'MEDIUM' }) }],
    ['the image keeps the top level where it says nothing', { failOn: 'low', ignoreUnfixed: true }, {}, { policy: expect.objectContaining({ failOn: 'LOW', ignoreUnfixed: true }) }],
    ['the image can turn ignoreUnfixed off again', { ignoreUnfixed: true }, { ignoreUnfixed: false }, { policy: expect.objectContaining({ ignoreUnfixed: false }) }],
    ['the image overrides required and timeout', { required: true, timeout: 60 }, { required: false, timeout: 900 }, { required: false, timeoutSeconds: 900 }],
  ])('%s', (_name, top, own, expected) => {
    expect(scansOf({ scan: top, images: { web: image({ scan: own }) } }).web).toMatchObject(expected);
  });

  it("scanner 'none' on an image turns scanning off for it only", () => {
    const scans = scansOf({ scan: { scanner: 'grype' }, images: { web: image({ scan: { scanner: 'none' } }), api: image() } });
    expect(scans.web).toBeUndefined();
    expect(scans.api?.scanner).toBe('grype');
  });

  it('an image-level scan alone scans that image', () => {
    const scans = scansOf({ images: { web: image({ scan: { failOn: 'critical' } }), api: image() } });
    expect(scans.web?.policy.failOn).toBe('CRITICAL');
    expect(scans.api).toBeUndefined();
  });

  it('exceptions: top-level ones naming the image (or none) plus the image’s own, each with where it is written', () => {
    const scans = scansOf({
      scan: { exceptions: [exception('CVE-1'), exception('CVE-2', { images: ['api'] }), exception('CVE-3', { images: ['web', 'api'] })] },
      images: { web: image({ scan: { exceptions: [exception('CVE-4')] } }), api: image() },
    });
    expect(scans.web?.policy.exceptions.map((e) => [e.id, e.source])).toEqual([
      ['CVE-1', 'scan.exceptions[0]'],
      ['CVE-3', 'scan.exceptions[2]'],
      ['CVE-4', 'images.web.scan.exceptions[0]'],
    ]);
    expect(scans.api?.policy.exceptions.map((e) => e.id)).toEqual(['CVE-1', 'CVE-2', 'CVE-3']);
  });

  it('tool options come from the top level, cacheDir made absolute against the config', () => {
    expect(scansOf({ scan: { cacheDir: '.cache/trivy', offline: true, dbRepository: 'mirror/db:2' }, images: { web: image() } }).web?.options).toEqual({
      cacheDir: '/abs/dir/.cache/trivy',
      offline: true,
      dbRepository: 'mirror/db:2',
    });
  });
});

describe('scan config: problems', () => {
  const issues = (input: Record<string, unknown>) => {
    const result = validateConfig(input, FILE);
    return result.ok ? [] : result.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  };

  it.each([
    ['an exception without until', { scan: { exceptions: [{ id: 'CVE-1', reason: 'r' }] } }, 'scan.exceptions.0.until', 'until is required'],
    ['an exception without reason', { scan: { exceptions: [{ id: 'CVE-1', until: '2027-01-01' }] } }, 'scan.exceptions.0.reason', 'reason is required'],
    ['an empty reason', { scan: { exceptions: [{ id: 'CVE-1', until: '2027-01-01', reason: '  ' }] } }, 'scan.exceptions.0.reason', 'reason must say why the finding is accepted'],
    ['a date that is not a day', { scan: { exceptions: [{ id: 'CVE-1', until: '2027-02-30', reason: 'r' }] } }, 'scan.exceptions.0.until', 'until must be a date such as "2027-03-01" (YYYY-MM-DD)'],
    ['an unknown scanner', { scan: { scanner: 'clair' } }, 'scan.scanner', expect.stringContaining('trivy')],
    ['an unknown image in images', { scan: { exceptions: [exception('CVE-1', { images: ['wbe'] })] } }, 'scan.exceptions.0.images.0', 'exception CVE-1 names image "wbe", which is not in this config — did you mean "web"?'],
    ['images on an image-level exception', { images: { web: image({ scan: { exceptions: [exception('CVE-1', { images: ['web'] })] } }) } }, 'images.web.scan.exceptions.0.images', expect.stringContaining('unknown key "images"')],
  ])('%s', (_name, input, path, message) => {
    expect(issues({ images: { web: image() }, ...input })).toContainEqual({ path, message });
  });

  it('an exception without until is a config error at its file:line', async () => {
    const error = await loadError(
      project(
        lines(
          "import { defineConfig } from 'multiarch';",
          'export default defineConfig({',
          '  scan: {',
          "    failOn: 'high',",
          "    exceptions: [{ id: 'CVE-2023-4911', reason: 'no setuid binaries' }],",
          '  },',
          "  images: { web: { context: './web', platforms: ['linux/amd64'], tags: ['v1'] } },",
          '});',
        ),
      ),
    );
    expect(error.code).toBe('E_CONFIG_INVALID');
    expect(error.details?.[0]).toBe('multiarch.config.ts:5:18 scan.exceptions[0].until: until is required');
  });
});
