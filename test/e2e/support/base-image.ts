/**
 * Base images a test may change: a copy of the hermetic busybox index under a repository of the
 * test's own, and a way to give one platform of it a new digest (its config gets a label; the
 * layers stay), as when a base image is republished upstream. Registry HTTP API only.
 */
import { createHash } from 'node:crypto';
import { execa } from 'execa';
import { parseRef, platformMatches, parsePlatform, type ImageIndex } from './registry.js';

const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** `skopeo copy --all`: the whole index and its children. */
export async function copyImageIndex(from: string, to: string): Promise<void> {
  await execa('skopeo', ['copy', '--all', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${from}`, `docker://${to}`], { stdin: 'ignore' });
}

const sha = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function getManifest(base: string, repo: string, reference: string): Promise<{ bytes: Buffer; mediaType: string }> {
  const res = await fetch(`${base}/v2/${repo}/manifests/${reference}`, { headers: { accept: ACCEPT } });
  if (!res.ok) throw new Error(`GET ${repo}:${reference}: HTTP ${res.status}`);
  return { bytes: Buffer.from(await res.arrayBuffer()), mediaType: res.headers.get('content-type') ?? '' };
}

async function putManifest(base: string, repo: string, reference: string, bytes: Buffer, mediaType: string): Promise<void> {
  const res = await fetch(`${base}/v2/${repo}/manifests/${reference}`, { method: 'PUT', headers: { 'content-type': mediaType }, body: new Uint8Array(bytes) });
  if (res.status !== 201) throw new Error(`PUT ${repo}:${reference}: HTTP ${res.status} ${await res.text()}`);
}

async function putBlob(base: string, repo: string, bytes: Buffer): Promise<string> {
  const digest = sha(bytes);
  const start = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  const location = new URL(start.headers.get('location')!, base);
  location.searchParams.set('digest', digest);
  const res = await fetch(location, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(bytes) });
  if (res.status !== 201) throw new Error(`upload to ${repo}: HTTP ${res.status}`);
  return digest;
}

/** Gives `platform` of the index at `ref` a new digest; returns it. */
export async function republishPlatform(ref: string, platform: string, label: string): Promise<string> {
  const { registry, repository, tag } = parseRef(ref);
  const base = `http://${registry}`;
  const index = await getManifest(base, repository, tag!);
  const doc = JSON.parse(index.bytes.toString('utf8')) as ImageIndex & { manifests: Array<{ digest: string; size: number; mediaType: string }> };
  const entry = doc.manifests.find((m) => m.platform && platformMatches(m.platform, parsePlatform(platform)))!;
  const child = await getManifest(base, repository, entry.digest);
  const manifest = JSON.parse(child.bytes.toString('utf8')) as { config: { digest: string; size: number } };
  const configRes = await fetch(`${base}/v2/${repository}/blobs/${manifest.config.digest}`);
  const config = JSON.parse(Buffer.from(await configRes.arrayBuffer()).toString('utf8')) as { config?: { Labels?: Record<string, string> | null } };
  config.config = { ...config.config, Labels: { ...(config.config?.Labels ?? {}), 'e2e.republished': label } };
  const configBytes = Buffer.from(JSON.stringify(config));
  manifest.config = { ...manifest.config, digest: await putBlob(base, repository, configBytes), size: configBytes.length };
  const bytes = Buffer.from(JSON.stringify(manifest));
  const digest = sha(bytes);
  await putManifest(base, repository, digest, bytes, child.mediaType);
  Object.assign(entry, { digest, size: bytes.length });
  await putManifest(base, repository, tag!, Buffer.from(JSON.stringify(doc)), index.mediaType);
  return digest;
}
