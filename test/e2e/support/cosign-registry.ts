/**
 * Reading cosign's registry layout straight from the registry's HTTP API (not multiarch's code),
 * and checking signatures with openssl: the independent verifier of the supply-chain tests.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ACCEPT = 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json';

export interface Layer {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export async function getManifest(registry: string, repo: string, ref: string): Promise<{ digest: string; json: { layers?: Layer[]; manifests?: Array<{ digest: string }> } } | undefined> {
  const res = await fetch(`http://${registry}/v2/${repo}/manifests/${ref}`, { headers: { Accept: ACCEPT } });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`GET ${repo}:${ref}: ${res.status}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  return { digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, json: JSON.parse(bytes.toString('utf8')) };
}

export async function getBlob(registry: string, repo: string, digest: string): Promise<Buffer> {
  const res = await fetch(`http://${registry}/v2/${repo}/blobs/${digest}`);
  if (!res.ok) throw new Error(`GET blob ${digest}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

export async function putBlob(registry: string, repo: string, bytes: Buffer): Promise<string> {
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const start = await fetch(`http://${registry}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  const location = new URL(start.headers.get('location')!, `http://${registry}`);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, { method: 'PUT', body: new Uint8Array(bytes), headers: { 'Content-Type': 'application/octet-stream' } });
  if (put.status !== 201) throw new Error(`PUT blob: ${put.status}`);
  return digest;
}

export async function putManifest(registry: string, repo: string, tag: string, doc: unknown): Promise<void> {
  const res = await fetch(`http://${registry}/v2/${repo}/manifests/${tag}`, { method: 'PUT', body: JSON.stringify(doc), headers: { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' } });
  if (res.status !== 201) throw new Error(`PUT manifest: ${res.status} ${await res.text()}`);
}

export const sigTag = (digest: string, kind: 'sig' | 'att') => `${digest.replace(':', '-')}.${kind}`;

/** `openssl dgst -sha256 -verify pub.pem -signature sig.der data`: true when it prints Verified OK. */
export function opensslVerifies(publicKeyPem: string, signatureBase64: string, data: Buffer): boolean {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'e2e-openssl-'));
  writeFileSync(path.join(dir, 'pub.pem'), publicKeyPem);
  writeFileSync(path.join(dir, 'sig.der'), Buffer.from(signatureBase64, 'base64'));
  writeFileSync(path.join(dir, 'data'), data);
  try {
    return execFileSync('openssl', ['dgst', '-sha256', '-verify', 'pub.pem', '-signature', 'sig.der', 'data'], { cwd: dir, encoding: 'utf8' }).includes('Verified OK');
  } catch {
    return false;
  }
}

/** DSSE's pre-authentication encoding, written out here from the spec (not multiarch's). */
export function pae(type: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.length} `), body]);
}

export interface VerifiedStatement {
  predicateType: string;
  predicate: Record<string, unknown> & { [key: string]: any };
}

/**
 * The `.att` of `digest` in `repo`, each layer checked as a verifier would: a DSSE envelope of an
 * in-toto statement, its signature verified over the PAE with openssl, its subject this digest.
 */
export async function verifiedAttestations(registry: string, repo: string, digest: string, publicKeyPem: string): Promise<{ manifest: string; statements: VerifiedStatement[] }> {
  const att = await getManifest(registry, repo, sigTag(digest, 'att'));
  if (!att) throw new Error(`${repo}: no ${sigTag(digest, 'att')}`);
  const statements: VerifiedStatement[] = [];
  for (const layer of att.json.layers!) {
    if (layer.mediaType !== 'application/vnd.dsse.envelope.v1+json') throw new Error(`layer ${layer.digest}: ${layer.mediaType}`);
    const envelope = JSON.parse((await getBlob(registry, repo, layer.digest)).toString('utf8'));
    if (envelope.payloadType !== 'application/vnd.in-toto+json') throw new Error(`payloadType ${envelope.payloadType}`);
    const body = Buffer.from(envelope.payload, 'base64');
    if (!opensslVerifies(publicKeyPem, envelope.signatures[0].sig, pae(envelope.payloadType, body))) throw new Error(`layer ${layer.digest}: the DSSE signature does not verify`);
    const statement = JSON.parse(body.toString('utf8'));
    if (statement._type !== 'https://in-toto.io/Statement/v1') throw new Error(`_type ${statement._type}`);
    if (`sha256:${statement.subject[0].digest.sha256}` !== digest) throw new Error(`subject ${statement.subject[0].digest.sha256} is not ${digest}`);
    statements.push({ predicateType: statement.predicateType, predicate: statement.predicate });
  }
  return { manifest: att.digest, statements };
}

/** The `.sig` of `digest` in `repo`: a simple-signing payload claiming this digest, verified with openssl. */
export async function verifiedSignature(registry: string, repo: string, digest: string, publicKeyPem: string): Promise<string> {
  const sig = await getManifest(registry, repo, sigTag(digest, 'sig'));
  if (!sig) throw new Error(`${repo}: no ${sigTag(digest, 'sig')}`);
  const layer = sig.json.layers![0]!;
  const payload = await getBlob(registry, repo, layer.digest);
  const claim = JSON.parse(payload.toString('utf8'));
  if (claim.critical.image['docker-manifest-digest'] !== digest) throw new Error(`the payload claims ${claim.critical.image['docker-manifest-digest']}`);
  if (!opensslVerifies(publicKeyPem, layer.annotations!['dev.cosignproject.cosign/signature']!, payload)) throw new Error(`${repo}@${digest}: the signature does not verify`);
  return sig.digest;
}
