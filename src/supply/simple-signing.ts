/**
 * Cosign's signature payload (the "simple signing" format): which digest, claimed under which
 * repository. Its bytes are what the ECDSA signature covers; the .sig layer stores them as is. Pure.
 */
export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';

export interface SimpleSigning {
  readonly critical: {
    readonly identity: { readonly 'docker-reference': string };
    readonly image: { readonly 'docker-manifest-digest': string };
    readonly type: 'cosign container image signature';
  };
  readonly optional: Readonly<Record<string, string>> | null;
}

/** `repository` as in an image reference without tag: `127.0.0.1:5000/team/web`. */
export function createSimpleSigning(repository: string, digest: string): Buffer {
  const doc: SimpleSigning = {
    critical: { identity: { 'docker-reference': repository }, image: { 'docker-manifest-digest': digest }, type: 'cosign container image signature' },
    optional: null,
  };
  return Buffer.from(JSON.stringify(doc));
}

/** The digest a payload claims, or undefined when it is not a cosign signature payload. */
export function signedDigestOf(payload: Buffer): string | undefined {
  try {
    const doc = JSON.parse(payload.toString('utf8')) as Partial<SimpleSigning>;
    if (doc.critical?.type !== 'cosign container image signature') return undefined;
    return doc.critical.image?.['docker-manifest-digest'];
  } catch {
    return undefined;
  }
}
