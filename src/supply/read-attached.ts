/**
 * What a repository already holds for a digest, verified by key: the signature layers whose
 * payload claims this digest and whose signature checks with the public key, and the attestation
 * layers whose DSSE signature checks and whose statement names this digest (by predicate type).
 * A tag that merely exists proves nothing: a tampered payload, another key's signature or a
 * statement about another digest does not count. Edge (reads through the store).
 */
import { verify } from 'node:crypto';
import type { ContentStore } from '../publish/content-store.js';
import { attachmentTag, layersOf, type AttachedLayer } from './cosign-layout.js';
import { DSSE_MEDIA_TYPE, openEnvelope } from './dsse.js';
import { SIGNATURE_ANNOTATION, SIMPLE_SIGNING_MEDIA_TYPE, signedDigestOf } from './simple-signing.js';
import type { SigningKey } from './signing-key.js';
import { statementAbout } from './statement.js';

export interface Attached {
  /** Every layer the .sig manifest lists (kept when a signature is added). */
  readonly sigLayers: readonly AttachedLayer[];
  readonly attLayers: readonly AttachedLayer[];
  /** Signature layers that verify for this digest, with their bytes. */
  readonly signatures: readonly AttachedLayer[];
  /** Verified attestation layers by predicate type, with their bytes. */
  readonly predicates: ReadonlyMap<string, AttachedLayer>;
}

type Reader = Pick<ContentStore, 'getManifest' | 'getBlob'>;

export async function readAttached(store: Reader, repo: string, digest: string, key: SigningKey['publicKey'], signal?: AbortSignal): Promise<Attached> {
  const [sig, att] = await Promise.all([store.getManifest(repo, attachmentTag(digest, 'sig'), signal), store.getManifest(repo, attachmentTag(digest, 'att'), signal)]);
  const sigLayers = sig ? layersOf(sig.bytes) : [];
  const attLayers = att ? layersOf(att.bytes) : [];
  const blob = async (layer: AttachedLayer) => {
    try {
      return await store.getBlob(repo, layer.digest, signal);
    } catch {
      return undefined; // a layer whose blob is gone (or does not match its digest) verifies nothing
    }
  };
  const signatures: AttachedLayer[] = [];
  for (const layer of sigLayers) {
    const signature = layer.annotations[SIGNATURE_ANNOTATION];
    if (layer.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE || !signature) continue;
    const bytes = await blob(layer);
    if (bytes && signedDigestOf(bytes) === digest && verify('sha256', bytes, key, Buffer.from(signature, 'base64'))) signatures.push({ ...layer, bytes });
  }
  const predicates = new Map<string, AttachedLayer>();
  for (const layer of attLayers) {
    if (layer.mediaType !== DSSE_MEDIA_TYPE) continue;
    const bytes = await blob(layer);
    const opened = bytes && openEnvelope(bytes, key);
    const type = opened && statementAbout(opened.body, digest);
    if (type && !predicates.has(type)) predicates.set(type, { ...layer, bytes: bytes! });
  }
  return { sigLayers, attLayers, signatures, predicates };
}
