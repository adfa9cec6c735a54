/** Registry helpers for e2e tests: raw manifests via skopeo, tags via the registry HTTP API. */
import { execa } from 'execa';

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}
export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly platform?: Platform;
  readonly annotations?: Record<string, string>;
}
export interface ImageIndex {
  readonly schemaVersion: 2;
  readonly mediaType?: string;
  readonly manifests: readonly Descriptor[];
  readonly annotations?: Record<string, string>;
}
export interface ImageManifest {
  readonly schemaVersion: 2;
  readonly mediaType?: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
  readonly annotations?: Record<string, string>;
}
export type RawManifest = ImageIndex | ImageManifest;

export interface Credentials {
  readonly user: string;
  readonly password: string;
}

export function isIndex(manifest: RawManifest): manifest is ImageIndex {
  return Array.isArray((manifest as ImageIndex).manifests);
}

/** `linux/arm/v7` style strings of an index's children, in index order. */
export function platformsOf(index: ImageIndex): string[] {
  return index.manifests.map((d) => (d.platform ? formatPlatform(d.platform) : '?'));
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

export function parsePlatform(text: string): Platform {
  const [os, architecture, variant] = text.split('/');
  if (!os || !architecture) throw new Error(`not a platform: ${text}`);
  return variant ? { os, architecture, variant } : { os, architecture };
}

/** Same platform; a missing variant matches any (and arm64 == arm64/v8). */
export function platformMatches(have: Platform, want: Platform): boolean {
  if (have.os !== want.os || have.architecture !== want.architecture) return false;
  const norm = (p: Platform) => (p.architecture === 'arm64' && p.variant === 'v8' ? undefined : p.variant);
  return norm(want) === undefined || norm(have) === norm(want);
}

/** `host:port/a/b:tag` or `host:port/a/b@sha256:…` split into its parts. */
export function parseRef(ref: string): { registry: string; repository: string; tag?: string; digest?: string } {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf('/');
  if (slash < 0) throw new Error(`expected host/repository in ${ref}`);
  return { registry: rest.slice(0, slash), repository: rest.slice(slash + 1), ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** The manifest or index at `ref`, exactly as the registry stores it (`skopeo inspect --raw`). */
export async function skopeoInspectRaw(ref: string, options: { creds?: Credentials } = {}): Promise<RawManifest> {
  const args = ['inspect', '--raw', '--tls-verify=false'];
  if (options.creds) args.push('--creds', `${options.creds.user}:${options.creds.password}`);
  else args.push('--no-creds');
  args.push(`docker://${ref}`);
  const result = await execa('skopeo', args, { reject: false, stdin: 'ignore' });
  if (result.exitCode !== 0) throw new Error(`skopeo inspect --raw docker://${ref} failed (exit ${result.exitCode}): ${result.stderr}`);
  return JSON.parse(result.stdout) as RawManifest;
}

/**
 * `repo@sha256:…` of the child of the index at `ref` for `platform`; `ref` itself when it is a
 * single-platform manifest. Pinning by digest keeps tests that use one tag for several platforms
 * at once from racing on the local tag.
 */
export async function pinPlatform(ref: string, platform: string, options: { creds?: Credentials } = {}): Promise<string> {
  const manifest = await skopeoInspectRaw(ref, options);
  if (!isIndex(manifest)) return ref;
  const want = parsePlatform(platform);
  const child = manifest.manifests.find((d) => d.platform && platformMatches(d.platform, want));
  if (!child) throw new Error(`${ref} has no ${platform} child (has ${platformsOf(manifest).join(', ')})`);
  const { registry, repository } = parseRef(ref);
  return `${registry}/${repository}@${child.digest}`;
}

function authHeaders(creds: Credentials | undefined): Record<string, string> {
  return creds ? { authorization: `Basic ${Buffer.from(`${creds.user}:${creds.password}`).toString('base64')}` } : {};
}

/** Tags of `host:port/repository` (sorted); [] when the repository does not exist. */
export async function listTags(repo: string, options: { creds?: Credentials } = {}): Promise<string[]> {
  const { registry, repository } = parseRef(repo);
  const response = await fetch(`http://${registry}/v2/${repository}/tags/list`, { headers: authHeaders(options.creds) });
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`GET http://${registry}/v2/${repository}/tags/list: HTTP ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { tags?: string[] | null };
  return [...(body.tags ?? [])].sort();
}

/** HTTP status of `GET /v2/` on `registry` (`host:port`). */
export async function registryStatus(registry: string, options: { creds?: Credentials } = {}): Promise<number> {
  const response = await fetch(`http://${registry}/v2/`, { headers: authHeaders(options.creds) });
  await response.arrayBuffer();
  return response.status;
}
