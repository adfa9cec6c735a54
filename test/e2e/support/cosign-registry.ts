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
