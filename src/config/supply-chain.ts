/**
 * `sign` and `attest`: which key signs every digest multiarch writes, and which attestations hang
 * off each platform image (docs/supply-chain.md). The key itself is read by the shell (a secret:
 * only where it is, never its bytes, is config). Keyless signing has its place in the schema so
 * configs written for it later fit, and is refused until it can be reached. Pure.
 */
import path from 'node:path';
import { z } from 'zod';
import type { ConfigIssue } from './issue.js';

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected an environment variable name, e.g. "COSIGN_PRIVATE_KEY"' });

export const signSchema = z.strictObject({
  /** A PEM private key: PKCS#8 EC P-256 (openssl genpkey) or cosign's encrypted key (cosign generate-key-pair). */
  // One object with either field (not a union of two): the editor then completes both names.
  key: z
    .strictObject({
      /** The key file, relative to this config. */
      file: z.string().min(1, { error: 'key file must not be empty' }).optional(),
      /** An environment variable holding the PEM text (CI secrets). */
      env: envName.optional(),
    })
    .optional(),
  /** Where the password of an encrypted (cosign) key comes from: `{ env: 'COSIGN_PASSWORD' }`. */
  password: z.strictObject({ env: envName }).optional(),
  /** OIDC → Fulcio → Rekor. Not reachable from here yet: rejected with the key-based alternative. */
  keyless: z.unknown().optional(),
});

export const attestSchema = z.strictObject({
  /** SLSA provenance v1 from what multiarch knows about each build. */
  provenance: z.boolean().optional(),
  /** An SBOM from the configured scanner (Trivy): `true` (CycloneDX), `'cyclonedx'` or `'spdx'`. */
  sbom: z.union([z.boolean(), z.enum(['cyclonedx', 'spdx'])]).optional(),
});

export type UserSign = z.input<typeof signSchema>;
export type UserAttest = z.input<typeof attestSchema>;
export type SbomFormat = 'cyclonedx' | 'spdx';

export interface ResolvedSign {
  /** An absolute file path, or the name of the environment variable holding the PEM. */
  readonly key: { readonly file: string } | { readonly env: string };
  readonly password?: { readonly env: string };
}

export interface ResolvedAttest {
  readonly provenance: boolean;
  readonly sbom?: SbomFormat;
}

export function resolveSign(sign: UserSign | undefined, dir: string, issues: ConfigIssue[]): ResolvedSign | undefined {
  if (!sign) return undefined;
  if (sign.keyless !== undefined) {
    issues.push({
      path: ['sign', 'keyless'],
      message: 'keyless signing (OIDC → Fulcio → Rekor) cannot be reached from here yet',
      hint: "sign with a key instead: sign: { key: { file: './cosign.key' } } (cosign generate-key-pair, or openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256)",
    });
    return undefined;
  }
  if (!sign.key) {
    issues.push({ path: ['sign', 'key'], message: 'sign needs a key', hint: "add key: { file: './cosign.key' } or key: { env: 'COSIGN_PRIVATE_KEY' }" });
    return undefined;
  }
  const { file, env } = sign.key;
  if ((file === undefined) === (env === undefined)) {
    issues.push({ path: ['sign', 'key'], message: 'the key needs exactly one of file and env', hint: "key: { file: './cosign.key' } or key: { env: 'COSIGN_PRIVATE_KEY' }" });
    return undefined;
  }
  const key = file !== undefined ? { file: path.resolve(dir, file) } : { env: env! };
  return { key, ...(sign.password ? { password: sign.password } : {}) };
}

/** An image's attestations: its own `attest` over the top-level one, field by field. */
export function resolveAttest(top: UserAttest | undefined, own: UserAttest | undefined): ResolvedAttest | undefined {
  const provenance = own?.provenance ?? top?.provenance ?? false;
  const sbom = own?.sbom ?? top?.sbom ?? false;
  const format: SbomFormat | undefined = sbom === true ? 'cyclonedx' : sbom === false ? undefined : sbom;
  if (!provenance && !format) return undefined;
  return { provenance, ...(format ? { sbom: format } : {}) };
}

/**
 * What an image's attestations need: a key to sign them with, and for an SBOM a scanner that
 * writes one (Trivy). Each problem is reported where it is written: the image's own `attest`, or
 * the top-level one (once, not per image).
 */
export function attestIssues(
  image: string,
  own: UserAttest | undefined,
  attest: ResolvedAttest | undefined,
  scanner: string | undefined,
  signed: boolean,
  reported: Set<string>,
): ConfigIssue[] {
  if (!attest) return [];
  const issues: ConfigIssue[] = [];
  const at = (field: string): ConfigIssue['path'] => (own?.[field as keyof UserAttest] !== undefined ? ['images', image, 'attest', field] : ['attest', field]);
  const push = (issue: ConfigIssue) => {
    const key = issue.path.join('.');
    if (reported.has(key)) return;
    reported.add(key);
    issues.push(issue);
  };
  if (!signed) {
    const field = attest.provenance ? 'provenance' : 'sbom';
    push({ path: at(field), message: 'attestations are signed envelopes (DSSE): there is no key to sign them with', hint: "add sign: { key: { file: './cosign.key' } } at the top level" });
  }
  if (attest.sbom && scanner !== 'trivy') {
    push({
      path: at('sbom'),
      message: `an SBOM is made by the configured scanner, and ${scanner ? `${scanner} does not write one here` : 'no scanner is configured'}`,
      hint: "set scan: { scanner: 'trivy' } (Trivy writes CycloneDX and SPDX), or sbom: false",
    });
  }
  return issues;
}
