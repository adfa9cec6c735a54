/**
 * In-toto Statement v1: which artifact (subject, by digest) a predicate speaks of, and what kind
 * of predicate it is. Pure.
 */
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
export const CYCLONEDX_PREDICATE = 'https://cyclonedx.org/bom';
export const SPDX_PREDICATE = 'https://spdx.dev/Document';

export interface Statement {
  readonly _type: typeof STATEMENT_TYPE;
  readonly subject: ReadonlyArray<{ readonly name: string; readonly digest: { readonly sha256: string } }>;
  readonly predicateType: string;
  readonly predicate: unknown;
}

/** `name` is the repository (`127.0.0.1:5000/team/web`), `digest` the manifest's `sha256:…`. */
export function createStatement(name: string, digest: string, predicateType: string, predicate: unknown): Buffer {
  const statement: Statement = { _type: STATEMENT_TYPE, subject: [{ name, digest: { sha256: digest.replace(/^sha256:/, '') } }], predicateType, predicate };
  return Buffer.from(JSON.stringify(statement));
}

/** The statement's predicate type when it names `digest` among its subjects. */
export function statementAbout(body: Buffer, digest: string): string | undefined {
  try {
    const doc = JSON.parse(body.toString('utf8')) as Partial<Statement>;
    if (doc._type !== STATEMENT_TYPE || typeof doc.predicateType !== 'string') return undefined;
    const hex = digest.replace(/^sha256:/, '');
    return doc.subject?.some((s) => s.digest?.sha256 === hex) ? doc.predicateType : undefined;
  } catch {
    return undefined;
  }
}

/** The predicates an image's `attest` asks for: the name plans show, and the predicate type. */
export function wantedPredicates(attest: { readonly provenance: boolean; readonly sbom?: 'cyclonedx' | 'spdx' } | undefined): Array<{ readonly name: string; readonly type: string }> {
  if (!attest) return [];
  return [
    ...(attest.provenance ? [{ name: 'provenance', type: SLSA_PROVENANCE_V1 }] : []),
    ...(attest.sbom ? [{ name: `sbom (${attest.sbom})`, type: attest.sbom === 'spdx' ? SPDX_PREDICATE : CYCLONEDX_PREDICATE }] : []),
  ];
}
