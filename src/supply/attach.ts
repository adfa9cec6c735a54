/**
 * Signs and attests one digest in one repository, idempotently: what already verifies by this key
 * is kept and nothing is written for it; what is missing is added as a layer to the .sig or .att
 * manifest (other layers, e.g. another key's signatures, stay). A fan-out copy passes the layers
 * it read from the first target, so every target holds the very same signature and attestations.
 * Edge.
 */
import { sign } from 'node:crypto';
import { bufferSource } from '../publish/buffer-source.js';
import type { ContentStore } from '../publish/content-store.js';
import { attachmentConfig, attachmentManifest, attachmentTag, EMPTY_CONFIG, layerOf, PREDICATE_ANNOTATION, referrerManifest, type Attachment, type AttachedLayer } from './cosign-layout.js';
import { DSSE_MEDIA_TYPE, signEnvelope } from './dsse.js';
import { readAttached, type Attached } from './read-attached.js';
import type { SigningKey } from './signing-key.js';
import { createSimpleSigning, SIGNATURE_ANNOTATION, SIMPLE_SIGNING_MEDIA_TYPE } from './simple-signing.js';
import { createStatement } from './statement.js';

export interface AttachWants {
  readonly sign: boolean;
  /** Predicate type → the predicate (made only when missing). */
  readonly predicates: ReadonlyArray<{ readonly type: string; readonly make: () => Promise<unknown> }>;
  /** Layers to reuse instead of making new ones (a fan-out copy's source). */
  readonly from?: Attached;
}

export interface AttachResult {
  readonly signed: 'written' | 'present' | 'no';
  readonly attested: readonly string[];
  readonly present: readonly string[];
  /** OCI 1.1 referrer manifests written (only where the registry has the referrers API). */
  readonly referrers: number;
}

export async function attach(store: ContentStore, repo: string, digest: string, key: SigningKey, wants: AttachWants, signal?: AbortSignal): Promise<AttachResult> {
  const held = await readAttached(store, repo, digest, key.publicKey, signal);
  const name = `${store.host}/${repo}`;
  let signed: AttachResult['signed'] = wants.sign ? 'present' : 'no';
  let sigLayers = held.sigLayers;
  if (wants.sign && held.signatures.length === 0) {
    const layer = wants.from?.signatures[0] ?? signatureLayer(name, digest, key);
    sigLayers = await writeAttachments(store, repo, digest, 'sig', held.sigLayers, [layer], signal);
    signed = 'written';
  }
  const missing = wants.predicates.filter((p) => !held.predicates.has(p.type));
  const added: AttachedLayer[] = [];
  for (const p of missing) {
    const reused = wants.from?.predicates.get(p.type);
    added.push(reused ?? attestationLayer(p.type, createStatement(name, digest, p.type, await p.make()), key));
  }
  const attLayers = added.length > 0 ? await writeAttachments(store, repo, digest, 'att', held.attLayers, added, signal) : held.attLayers;
  const referrers = await writeReferrers(store, repo, digest, { sig: sigLayers, att: attLayers }, signal);
  return { signed, attested: missing.map((p) => p.type), present: wants.predicates.filter((p) => held.predicates.has(p.type)).map((p) => p.type), referrers };
}

export function signatureLayer(repository: string, digest: string, key: SigningKey): AttachedLayer {
  const payload = createSimpleSigning(repository, digest);
  return layerOf(SIMPLE_SIGNING_MEDIA_TYPE, payload, { [SIGNATURE_ANNOTATION]: sign('sha256', payload, key.privateKey).toString('base64') });
}

function attestationLayer(type: string, statement: Buffer, key: SigningKey): AttachedLayer {
  const envelope = Buffer.from(JSON.stringify(signEnvelope(statement, key.privateKey)));
  return layerOf(DSSE_MEDIA_TYPE, envelope, { [SIGNATURE_ANNOTATION]: '', [PREDICATE_ANNOTATION]: type });
}

/** The manifest's layers as written. */
async function writeAttachments(store: ContentStore, repo: string, digest: string, kind: Attachment, kept: readonly AttachedLayer[], added: readonly AttachedLayer[], signal?: AbortSignal): Promise<AttachedLayer[]> {
  const layers = [...kept.filter((l) => !added.some((a) => a.digest === l.digest)), ...added];
  const config = attachmentConfig(layers);
  const manifest = attachmentManifest(layers, config);
  // Blobs before the manifest that names them.
  for (const blob of [...added.map((l) => l.bytes!), config]) await store.putBlob(repo, bufferSource(blob), signal ? { signal } : {});
  await store.putManifest(repo, attachmentTag(digest, kind), manifest, signal);
  return layers;
}

/**
 * Where the registry has the OCI 1.1 referrers API, the .sig and .att also as referrers of the
 * digest (their layers, with `subject`), besides the tags cosign reads by default. What the API
 * already lists is not written again. The count of manifests written.
 */
async function writeReferrers(store: ContentStore, repo: string, digest: string, layers: Readonly<Record<Attachment, readonly AttachedLayer[]>>, signal?: AbortSignal): Promise<number> {
  const listed = await store.referrers?.(repo, digest, signal);
  if (!listed) return 0;
  const subject = await store.headManifest(repo, digest, signal);
  if (!subject) return 0;
  let written = 0;
  for (const kind of ['sig', 'att'] as const) {
    if (layers[kind].length === 0) continue;
    const manifest = referrerManifest(kind, layers[kind], { ...subject, digest });
    if (listed.some((d) => d.digest === manifest.digest)) continue;
    // Its layers are in the repository already (the tag manifest's); the empty config may not be.
    await store.putBlob(repo, bufferSource(EMPTY_CONFIG), signal ? { signal } : {});
    await store.putManifest(repo, manifest.digest, manifest, signal);
    written++;
  }
  return written;
}
