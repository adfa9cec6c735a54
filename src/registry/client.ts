/**
 * A small OCI distribution API client (fetch): manifests by tag or digest, blob existence,
 * cross-repository mounts, monolithic uploads, with the registry's own auth dance (Basic, or a
 * Bearer token per scope from the `WWW-Authenticate` realm) and bounded retries with backoff for
 * what is worth retrying (network errors, 5xx, 429 with Retry-After). Edge.
 */
import { MultiarchError } from '../errors/multiarch-error.js';
import { sha256Digest, type Descriptor } from '../image/descriptor.js';
import { MANIFEST_ACCEPT } from '../image/media-types.js';
import { registerSecret } from '../sys/redact.js';
import type { Credential } from './credentials.js';
import { httpError, networkError } from './registry-error.js';
import { parseChallenge } from './www-authenticate.js';

export interface RegistryEndpoint {
  /** For messages: `127.0.0.1:5000`, `docker.io`. */
  readonly host: string;
  readonly apiHost: string;
  readonly scheme: 'http' | 'https';
}

export interface RegistryClientOptions {
  readonly endpoint: RegistryEndpoint;
  readonly credential?: () => Promise<Credential | undefined>;
  readonly fetch?: typeof fetch;
  readonly attempts?: number;
  readonly baseDelayMs?: number;
  readonly userAgent?: string;
}

export type Body = () => Buffer | AsyncIterable<Uint8Array>;

interface SendOptions {
  readonly headers?: Record<string, string>;
  readonly body?: Body;
  /** Token scopes this request needs, e.g. `repository:team/web:pull,push`. */
  readonly scopes: readonly string[];
  readonly signal?: AbortSignal;
}

export interface ManifestResponse extends Descriptor {
  readonly bytes: Buffer;
}

export class RegistryClient {
  private readonly fetchImpl: typeof fetch;
  private readonly tokens = new Map<string, string>();
  private basic: string | undefined;
  private credential: Promise<Credential | undefined> | undefined;

  constructor(private readonly options: RegistryClientOptions) {
    this.fetchImpl = options.fetch ?? fetch;
  }

  get host(): string {
    return this.options.endpoint.host;
  }

  async headManifest(repo: string, reference: string, signal?: AbortSignal): Promise<Descriptor | undefined> {
    const res = await this.send('HEAD', `/v2/${repo}/manifests/${reference}`, { headers: { Accept: MANIFEST_ACCEPT }, scopes: [pull(repo)], ...opt(signal) });
    if (res.status === 404) return undefined;
    if (!res.ok) throw httpError(`HEAD manifest ${repo}:${reference}`, this.host, res.status, '', res.headers);
    const digest = res.headers.get('docker-content-digest');
    return {
      mediaType: res.headers.get('content-type') ?? '',
      digest: digest ?? '',
      size: Number(res.headers.get('content-length') ?? 0),
    };
  }

  async getManifest(repo: string, reference: string, signal?: AbortSignal): Promise<ManifestResponse | undefined> {
    const res = await this.send('GET', `/v2/${repo}/manifests/${reference}`, { headers: { Accept: MANIFEST_ACCEPT }, scopes: [pull(repo)], ...opt(signal) });
    if (res.status === 404) return undefined;
    const bytes = Buffer.from(await res.arrayBuffer());
    if (!res.ok) throw httpError(`GET manifest ${repo}:${reference}`, this.host, res.status, bytes.toString('utf8'), res.headers);
    const digest = sha256Digest(bytes);
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw new MultiarchError('E_DIGEST_MISMATCH', `${this.host}/${repo}@${reference} returned content with digest ${digest}`);
    }
    return { bytes, digest, size: bytes.length, mediaType: res.headers.get('content-type') ?? '' };
  }

  /** PUT a manifest under a tag or its digest; the registry's digest must be ours. */
  async putManifest(repo: string, reference: string, doc: ManifestResponse, signal?: AbortSignal): Promise<void> {
    const res = await this.send('PUT', `/v2/${repo}/manifests/${reference}`, {
      headers: { 'Content-Type': doc.mediaType },
      body: () => doc.bytes,
      scopes: [pushPull(repo)],
      ...opt(signal),
    });
    const text = await res.text();
    if (res.status !== 201 && res.status !== 200) throw httpError(`PUT manifest ${repo}:${reference}`, this.host, res.status, text, res.headers);
    const digest = res.headers.get('docker-content-digest');
    if (digest && digest !== doc.digest) {
      throw new MultiarchError('E_DIGEST_MISMATCH', `${this.host} stored ${repo}:${reference} as ${digest}, but multiarch sent ${doc.digest}`, {
        hint: 'the registry rewrote the manifest; it may not support this manifest format (try format: "docker")',
      });
    }
  }

  async hasBlob(repo: string, digest: string, signal?: AbortSignal): Promise<boolean> {
    const res = await this.send('HEAD', `/v2/${repo}/blobs/${digest}`, { scopes: [pull(repo)], ...opt(signal) });
    if (res.status === 404) return false;
    if (!res.ok) throw httpError(`HEAD blob ${repo}@${digest}`, this.host, res.status, '', res.headers);
    return true;
  }

  async getBlob(repo: string, digest: string, signal?: AbortSignal): Promise<Buffer> {
    const res = await this.send('GET', `/v2/${repo}/blobs/${digest}`, { scopes: [pull(repo)], ...opt(signal) });
    const bytes = Buffer.from(await res.arrayBuffer());
    if (!res.ok) throw httpError(`GET blob ${repo}@${digest}`, this.host, res.status, bytes.toString('utf8'), res.headers);
    if (sha256Digest(bytes) !== digest) throw new MultiarchError('E_DIGEST_MISMATCH', `${this.host}/${repo} blob ${digest} has other content`);
    return bytes;
  }

  /** Cross-repository mount; false when the registry declined (202: it opened an upload instead). */
  async mountBlob(repo: string, digest: string, from: string, signal?: AbortSignal): Promise<boolean> {
    const res = await this.send('POST', `/v2/${repo}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`, {
      scopes: [pushPull(repo), pull(from)],
      ...opt(signal),
    });
    await res.arrayBuffer();
    if (res.status === 201) return true;
    if (res.status === 202) {
      const location = res.headers.get('location');
      if (location) await this.send('DELETE', this.resolveLocation(location), { scopes: [pushPull(repo)], ...opt(signal) }).catch(() => undefined);
      return false;
    }
    throw httpError(`mount ${digest} from ${from} into ${repo}`, this.host, res.status, '', res.headers);
  }

  /** Monolithic upload: POST for a session, then one PUT with the whole blob and its digest. */
  async uploadBlob(repo: string, digest: string, size: number, body: Body, signal?: AbortSignal): Promise<void> {
    const start = await this.send('POST', `/v2/${repo}/blobs/uploads/`, { scopes: [pushPull(repo)], ...opt(signal) });
    const startText = await start.text();
    const location = start.headers.get('location');
    if (start.status !== 202 || !location) throw httpError(`start upload to ${repo}`, this.host, start.status, startText, start.headers);
    const url = this.resolveLocation(location);
    const put = await this.send('PUT', `${url}${url.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`, {
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) },
      body,
      scopes: [pushPull(repo)],
      ...opt(signal),
    });
    const text = await put.text();
    if (put.status !== 201) throw httpError(`upload ${digest} to ${repo}`, this.host, put.status, text, put.headers);
    const stored = put.headers.get('docker-content-digest');
    if (stored && stored !== digest) throw new MultiarchError('E_DIGEST_MISMATCH', `${this.host} stored blob ${digest} as ${stored}`);
  }

  private base(): string {
    return `${this.options.endpoint.scheme}://${this.options.endpoint.apiHost}`;
  }

  /** Upload locations may be absolute or relative; keep them as paths on this registry's base. */
  private resolveLocation(location: string): string {
    const url = new URL(location, this.base());
    return url.origin === new URL(this.base()).origin ? `${url.pathname}${url.search}` : url.toString();
  }

  private async send(method: string, pathOrUrl: string, options: SendOptions): Promise<Response> {
    const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${this.base()}${pathOrUrl}`;
    const attempts = this.options.attempts ?? 4;
    const scopeKey = [...options.scopes].sort().join(' ');
    let authenticated = false;
    for (let attempt = 1; ; attempt++) {
      const headers: Record<string, string> = { 'User-Agent': this.options.userAgent ?? 'multiarch', ...options.headers };
      const auth = this.tokens.get(scopeKey) ?? this.basic;
      if (auth) headers.Authorization = auth;
      const body = options.body?.();
      let res: Response;
      try {
        res = await this.fetchImpl(url, {
          method,
          headers,
          ...(body ? { body: body as RequestInit["body"], duplex: 'half' } : {}),
          redirect: 'follow',
          ...(options.signal ? { signal: options.signal } : {}),
        } as RequestInit);
      } catch (error) {
        if (options.signal?.aborted) throw new MultiarchError('E_CANCELED', `${method} ${this.host} canceled`);
        if (attempt < attempts) {
          await delay(this.backoff(attempt), options.signal);
          continue;
        }
        throw networkError(this.host, url, error);
      }
      if (res.status === 401 && !authenticated) {
        authenticated = true;
        await res.arrayBuffer().catch(() => undefined);
        await this.authenticate(res.headers.get('www-authenticate'), options.scopes, scopeKey, options.signal);
        attempt--;
        continue;
      }
      if ((res.status >= 500 || res.status === 429) && attempt < attempts) {
        await res.arrayBuffer().catch(() => undefined);
        await delay(retryAfterMs(res.headers.get('retry-after')) ?? this.backoff(attempt), options.signal);
        continue;
      }
      return res;
    }
  }

  private backoff(attempt: number): number {
    const base = this.options.baseDelayMs ?? 250;
    return Math.min(10_000, base * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
  }

  private loadCredential(): Promise<Credential | undefined> {
    this.credential ??= this.options.credential?.() ?? Promise.resolve(undefined);
    return this.credential;
  }

  private async authenticate(header: string | null, scopes: readonly string[], scopeKey: string, signal?: AbortSignal): Promise<void> {
    const challenge = parseChallenge(header);
    const credential = await this.loadCredential();
    if (!challenge) return;
    if (challenge.scheme === 'basic') {
      if (!credential || credential.kind !== 'basic') {
        throw new MultiarchError('E_REGISTRY_AUTH', `${this.host} requires a login and none is stored for it`, {
          hint: `run \`docker login ${this.host}\` (multiarch reads the same credentials)`,
        });
      }
      this.basic = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
      registerSecret(this.basic.slice(6));
      return;
    }
    const realm = challenge.params.realm;
    if (!realm) throw new MultiarchError('E_REGISTRY_AUTH', `${this.host} sent a Bearer challenge without a realm`);
    const token = await this.fetchToken(realm, challenge.params.service, scopes, credential, signal);
    registerSecret(token);
    this.tokens.set(scopeKey, `Bearer ${token}`);
  }

  private async fetchToken(realm: string, service: string | undefined, scopes: readonly string[], credential: Credential | undefined, signal?: AbortSignal): Promise<string> {
    const params = new URLSearchParams();
    if (service) params.set('service', service);
    for (const s of scopes) params.append('scope', s);
    let res: Response;
    try {
      if (credential?.kind === 'identity-token') {
        params.set('grant_type', 'refresh_token');
        params.set('refresh_token', credential.token);
        params.set('client_id', 'multiarch');
        res = await this.fetchImpl(realm, { method: 'POST', body: params, ...(signal ? { signal } : {}) });
      } else {
        const headers: Record<string, string> = {};
        if (credential) headers.Authorization = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
        res = await this.fetchImpl(`${realm}?${params}`, { headers, ...(signal ? { signal } : {}) });
      }
    } catch (error) {
      throw networkError(`${this.host} (token service)`, realm, error);
    }
    const text = await res.text();
    if (!res.ok) {
      throw new MultiarchError('E_REGISTRY_AUTH', `${this.host} refused a token (HTTP ${res.status})${credential ? ` for the login from ${credential.source}` : ' without a login'}`, {
        hint: credential ? `the stored login may be wrong or expired: \`docker login ${this.host}\`` : `run \`docker login ${this.host}\``,
      });
    }
    const body = JSON.parse(text) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new MultiarchError('E_REGISTRY_AUTH', `${this.host}'s token service answered without a token`);
    return token;
  }
}

const pull = (repo: string) => `repository:${repo}:pull`;
const pushPull = (repo: string) => `repository:${repo}:pull,push`;
const opt = (signal?: AbortSignal) => (signal ? { signal } : {});

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.min(60_000, seconds * 1000);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.min(60_000, Math.max(0, date - Date.now())) : undefined;
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new MultiarchError('E_CANCELED', 'canceled'));
      },
      { once: true },
    );
  });
}
