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
import { attachmentConfig, attachmentManifest, attachmentTag, layerOf, PREDICATE_ANNOTATION, type Attachment, type AttachedLayer } from './cosign-layout.js';
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
}

export async function attach(store: ContentStore, repo: string, digest: string, key: SigningKey, wants: AttachWants, signal?: AbortSignal): Promise<AttachResult> {
  const held = await readAttached(store, repo, digest, key.publicKey, signal);
  const name = `${store.host}/${repo}`;
  let signed: AttachResult['signed'] = wants.sign ? 'present' : 'no';
  if (wants.sign && held.signatures.length === 0) {
    const layer = wants.from?.signatures[0] ?? signatureLayer(name, digest, key);
    await writeAttachment(store, repo, digest, 'sig', held.sigLayers, layer, signal);
    signed = 'written';
  }
  const missing = wants.predicates.filter((p) => !held.predicates.has(p.type));
  const added: AttachedLayer[] = [];
  for (const p of missing) {
    const reused = wants.from?.predicates.get(p.type);
    added.push(reused ?? attestationLayer(p.type, createStatement(name, digest, p.type, await p.make()), key));
  }
  if (added.length > 0) await writeAttachments(store, repo, digest, 'att', held.attLayers, added, signal);
  return { signed, attested: missing.map((p) => p.type), present: wants.predicates.filter((p) => held.predicates.has(p.type)).map((p) => p.type) };
}

export function signatureLayer(repository: string, digest: string, key: SigningKey): AttachedLayer {
  const payload = createSimpleSigning(repository, digest);
  return layerOf(SIMPLE_SIGNING_MEDIA_TYPE, payload, { [SIGNATURE_ANNOTATION]: sign('sha256', payload, key.privateKey).toString('base64') });
}

function attestationLayer(type: string, statement: Buffer, key: SigningKey): AttachedLayer {
  const envelope = Buffer.from(JSON.stringify(signEnvelope(statement, key.privateKey)));
  return layerOf(DSSE_MEDIA_TYPE, envelope, { [SIGNATURE_ANNOTATION]: '', [PREDICATE_ANNOTATION]: type });
}

function writeAttachment(store: ContentStore, repo: string, digest: string, kind: Attachment, kept: readonly AttachedLayer[], layer: AttachedLayer, signal?: AbortSignal) {
  return writeAttachments(store, repo, digest, kind, kept, [layer], signal);
}

async function writeAttachments(store: ContentStore, repo: string, digest: string, kind: Attachment, kept: readonly AttachedLayer[], added: readonly AttachedLayer[], signal?: AbortSignal): Promise<void> {
  const layers = [...kept.filter((l) => !added.some((a) => a.digest === l.digest)), ...added];
  const config = attachmentConfig(layers);
  const manifest = attachmentManifest(layers, config);
  // Blobs before the manifest that names them.
  for (const blob of [...added.map((l) => l.bytes!), config]) await store.putBlob(repo, bufferSource(blob), signal ? { signal } : {});
  await store.putManifest(repo, attachmentTag(digest, kind), manifest, signal);
}
