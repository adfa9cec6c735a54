/** The `sign` and `attest` config: resolution, per-image override, and every problem at once. */
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/validate.js';

const FILE = '/abs/dir/multiarch.config.ts';
const image = (extra: Record<string, unknown> = {}) => ({ context: '.', platforms: ['linux/amd64'], tags: ['v1'], ...extra });
const issuesOf = (input: Record<string, unknown>) => {
  const r = validateConfig(input, FILE);
  return r.ok ? [] : r.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('sign / attest config', () => {
  it('resolves the key file against the config and attest per image, field by field', () => {
    const r = validateConfig(
      { sign: { key: { file: './cosign.key' }, password: { env: 'COSIGN_PASSWORD' } }, scan: {}, attest: { provenance: true, sbom: true }, images: { web: image(), api: image({ attest: { sbom: 'spdx' } }), off: image({ attest: { provenance: false, sbom: false } }) } },
      FILE,
    );
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.config.sign).toEqual({ key: { file: '/abs/dir/cosign.key' }, password: { env: 'COSIGN_PASSWORD' } });
    expect(r.config.images.web!.attest).toEqual({ provenance: true, sbom: 'cyclonedx' });
    expect(r.config.images.api!.attest).toEqual({ provenance: true, sbom: 'spdx' });
    expect(r.config.images.off!.attest).toBeUndefined();
  });

  it('rejects keyless today, with the key-based alternative', () => {
    const r = validateConfig({ sign: { keyless: { issuer: 'https://token.actions.githubusercontent.com' } }, images: { web: image() } }, FILE);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0]).toMatchObject({ path: ['sign', 'keyless'], message: expect.stringContaining('keyless signing') as unknown, hint: expect.stringContaining('key: { file') as unknown });
  });

  it('reports attest without a key, an SBOM without a scanner and a key with both fields, all at once', () => {
    expect(issuesOf({ attest: { provenance: true, sbom: true }, images: { a: image(), b: image() } })).toEqual([
      'attest.provenance: attestations are signed envelopes (DSSE): there is no key to sign them with',
      'attest.sbom: an SBOM is made by the configured scanner, and no scanner is configured',
    ]);
    expect(issuesOf({ sign: { key: { file: 'k', env: 'K' } }, scan: { scanner: 'grype' }, images: { a: image({ attest: { sbom: true } }) } })).toEqual([
      'images.a.attest.sbom: an SBOM is made by the configured scanner, and grype does not write one here',
      'sign.key: the key needs exactly one of file and env',
    ]);
  });

  it('rejects unknown keys and bad env names', () => {
    expect(issuesOf({ sign: { key: { env: 'not a name' } }, images: { a: image() } })[0]).toContain('sign.key.env');
    expect(issuesOf({ attest: { provenence: true }, images: { a: image() } })[0]).toContain('attest');
  });
});
