/**
 * A small OCI distribution API client (over node:http(s), http-transport.ts): manifests by
 * tag or digest, blob existence and reads, cross-repository mounts, uploads (upload-blob.ts), with
 * the registry's own auth dance (auth.ts), a stall detector on every exchange (idle-timer.ts) and
 * bounded retries with backoff and jitter for what is worth retrying (network errors, stalls, 5xx,
 * 429 with Retry-After). Edge.
 */
import { MultiarchError } from '../errors/multiarch-error.js';
import { sha256Digest, type Descriptor } from '../image/descriptor.js';
import { MANIFEST_ACCEPT, MEDIA } from '../image/media-types.js';
import { answerChallenge, authorizationFor, type AuthState } from './auth.js';
import type { Credential } from './credentials.js';
import { registryFetch, type HttpFetch, type HttpResponse } from './http-transport.js';
import { createIdleTimer, touching, watchResponse } from './idle-timer.js';
import { httpError, isImmutableTagRejection, networkError, stallError } from './registry-error.js';
import { delay, retryAfterMs } from './retry-wait.js';
import { pull, pushPull } from './token-scopes.js';
import { uploadBlob, type UploadResult } from './upload-blob.js';

export interface RegistryEndpoint {
  /** For messages: `127.0.0.1:5000`, `docker.io`. */
  readonly host: string;
  readonly apiHost: string;
  readonly scheme: 'http' | 'https';
}

export interface RegistryClientOptions {
  readonly endpoint: RegistryEndpoint;
  readonly credential?: () => Promise<Credential | undefined>;
  readonly fetch?: HttpFetch;
  /** Tries per request (and upload sessions per blob). Default 4. */
  readonly attempts?: number;
  readonly baseDelayMs?: number;
  /** A request with no byte moving for this long is abandoned (and retried). Default 60 s. */
  readonly idleTimeoutMs?: number;
  /** Blobs above this size go up in chunks of it (resumable); smaller ones in one PUT. Default 32 MiB. */
  readonly chunkSize?: number;
  readonly userAgent?: string;
}

/** A request body; called again for every try, so it must give the same bytes each time. */
export type Body = () => Buffer | AsyncIterable<Uint8Array>;

export interface RequestOptions {
  readonly headers?: Record<string, string>;
  readonly body?: Body;
  /** Token scopes this request needs, e.g. `repository:team/web:pull,push`. */
  readonly scopes: readonly string[];
  readonly signal?: AbortSignal;
  /** false: one try only (a caller that retries on its own terms, like uploads). Auth still answered. */
  readonly retry?: boolean;
}

export interface ManifestResponse extends Descriptor {
  readonly bytes: Buffer;
}

export const DEFAULT_CHUNK_SIZE = 32 * 1024 * 1024;

export class RegistryClient {
  private readonly fetchImpl: HttpFetch;
  private readonly auth: AuthState = { tokens: new Map(), basic: undefined };
  private credential: Promise<Credential | undefined> | undefined;

  constructor(readonly options: RegistryClientOptions) {
    this.fetchImpl = options.fetch ?? registryFetch;
  }

  get host(): string {
    return this.options.endpoint.host;
  }

  get attempts(): number {
    return this.options.attempts ?? 4;
  }

  async headManifest(repo: string, reference: string, signal?: AbortSignal): Promise<Descriptor | undefined> {
    const res = await this.request('HEAD', `/v2/${repo}/manifests/${reference}`, { headers: { Accept: MANIFEST_ACCEPT }, scopes: [pull(repo)], ...opt(signal) });
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
    const res = await this.request('GET', `/v2/${repo}/manifests/${reference}`, { headers: { Accept: MANIFEST_ACCEPT }, scopes: [pull(repo)], ...opt(signal) });
    if (res.status === 404) {
      await res.arrayBuffer().catch(() => undefined);
      return undefined;
    }
    const bytes = Buffer.from(await res.arrayBuffer());
    if (!res.ok) throw httpError(`GET manifest ${repo}:${reference}`, this.host, res.status, bytes.toString('utf8'), res.headers);
    const digest = sha256Digest(bytes);
    const claimed = res.headers.get('docker-content-digest');
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw new MultiarchError('E_DIGEST_MISMATCH', `${this.host}/${repo}@${reference} returned content with digest ${digest}`);
    }
    if (claimed?.startsWith('sha256:') && claimed !== digest) {
      throw new MultiarchError('E_DIGEST_MISMATCH', `${this.host}/${repo}:${reference} says Docker-Content-Digest ${claimed}, but its content is ${digest}`);
    }
    return { bytes, digest, size: bytes.length, mediaType: res.headers.get('content-type') ?? '' };
  }

  /** PUT a manifest under a tag or its digest; the registry's digest must be ours. */
  async putManifest(repo: string, reference: string, doc: ManifestResponse, signal?: AbortSignal): Promise<void> {
    const res = await this.request('PUT', `/v2/${repo}/manifests/${reference}`, {
      headers: { 'Content-Type': doc.mediaType },
      body: () => doc.bytes,
      scopes: [pushPull(repo)],
      ...opt(signal),
    });
    const text = await res.text();
    if (isImmutableTagRejection(res.status, text)) {
      throw new MultiarchError('E_TAG_IMMUTABLE', `${this.host} refused to move the immutable tag ${repo}:${reference}`, {
        hint: 'publish under a new tag; this repository does not let a tag change',
      });
    }
    if (res.status !== 201 && res.status !== 200) throw httpError(`PUT manifest ${repo}:${reference}`, this.host, res.status, text, res.headers);
    const digest = res.headers.get('docker-content-digest');
    if (digest && digest !== doc.digest) {
      throw new MultiarchError('E_DIGEST_MISMATCH', `${this.host} stored ${repo}:${reference} as ${digest}, but multiarch sent ${doc.digest}`, {
        hint: 'the registry rewrote the manifest; it may not support this manifest format (try format: "docker")',
      });
    }
  }

  async hasBlob(repo: string, digest: string, signal?: AbortSignal): Promise<boolean> {
    const res = await this.request('HEAD', `/v2/${repo}/blobs/${digest}`, { scopes: [pull(repo)], ...opt(signal) });
    if (res.status === 404) return false;
    if (!res.ok) throw httpError(`HEAD blob ${repo}@${digest}`, this.host, res.status, '', res.headers);
    return true;
  }

  async getBlob(repo: string, digest: string, signal?: AbortSignal): Promise<Buffer> {
    const res = await this.request('GET', `/v2/${repo}/blobs/${digest}`, { scopes: [pull(repo)], ...opt(signal) });
    const bytes = Buffer.from(await res.arrayBuffer());
    if (!res.ok) throw httpError(`GET blob ${repo}@${digest}`, this.host, res.status, bytes.toString('utf8'), res.headers);
    if (sha256Digest(bytes) !== digest) throw new MultiarchError('E_DIGEST_MISMATCH', `${this.host}/${repo} blob ${digest} has other content`);
    return bytes;
  }

  /**
   * OCI 1.1 referrers of a digest (`GET /v2/<name>/referrers/<digest>`): the descriptors of the
   * manifests whose `subject` it is, or undefined when the registry has no such API (404 or any
   * other refusal, as distribution 2.8 answers) — never an error: the tag layout stands without it.
   */
  async listReferrers(repo: string, digest: string, signal?: AbortSignal): Promise<Descriptor[] | undefined> {
    const res = await this.request('GET', `/v2/${repo}/referrers/${digest}`, { headers: { Accept: MEDIA.oci.index }, scopes: [pull(repo)], ...opt(signal) });
    const bytes = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) return undefined;
    try {
      const doc = JSON.parse(bytes.toString('utf8')) as { mediaType?: string; manifests?: Descriptor[] };
      return doc.mediaType === MEDIA.oci.index && Array.isArray(doc.manifests) ? doc.manifests : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * A blob's bytes [start, end) as a stream (a Range request unless it is the whole blob, from 0);
   * the receiving side checks the digest.
   */
  async *streamBlob(repo: string, digest: string, start = 0, end?: number, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
    const ranged = start > 0 || end !== undefined;
    const res = await this.request('GET', `/v2/${repo}/blobs/${digest}`, {
      headers: ranged ? { Range: `bytes=${start}-${end === undefined ? '' : end - 1}` } : {},
      scopes: [pull(repo)],
      ...opt(signal),
    });
    if (!res.ok || !res.body) {
      throw httpError(`GET blob ${repo}@${digest}`, this.host, res.status, await res.text().catch(() => ''), res.headers);
    }
    // A registry that ignores Range sends it all: skip to `start`, stop at `end`.
    let skip = ranged && res.status !== 206 ? start : 0;
    let left = end === undefined ? Infinity : end - start;
    for await (const chunk of res.body) {
      let part = chunk;
      if (skip > 0) {
        const n = Math.min(skip, part.length);
        skip -= n;
        part = part.subarray(n);
      }
      if (part.length > left) part = part.subarray(0, left);
      left -= part.length;
      if (part.length > 0) yield part;
      if (left <= 0) return;
    }
  }

  /** Cross-repository mount; false when the registry declined (202: it opened an upload instead). */
  async mountBlob(repo: string, digest: string, from: string, signal?: AbortSignal): Promise<boolean> {
    const res = await this.request('POST', `/v2/${repo}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`, {
      scopes: [pushPull(repo), pull(from)],
      ...opt(signal),
    });
    await res.arrayBuffer();
    if (res.status === 201) return true;
    if (res.status === 202) {
      const location = res.headers.get('location');
      if (location) {
        await this.request('DELETE', this.resolveLocation(location), { scopes: [pushPull(repo)], retry: false, ...opt(signal) })
          .then((r) => r.arrayBuffer())
          .catch(() => undefined);
      }
      return false;
    }
    throw httpError(`mount ${digest} from ${from} into ${repo}`, this.host, res.status, '', res.headers);
  }

  /**
   * Uploads a blob: one PUT, or PATCH chunks when it is large or the registry asks for chunks
   * (`OCI-Chunk-Min-Length`); a broken chunk resumes where the registry says it got to, a broken
   * session starts over, and the registry's digest must be the one sent.
   */
  uploadBlob(repo: string, digest: string, size: number, body: (start: number, end: number) => Buffer | AsyncIterable<Uint8Array>, signal?: AbortSignal): Promise<UploadResult> {
    return uploadBlob(this, repo, { digest, size, open: body }, { chunkSize: this.options.chunkSize ?? DEFAULT_CHUNK_SIZE, ...opt(signal) });
  }

  private base(): string {
    return `${this.options.endpoint.scheme}://${this.options.endpoint.apiHost}`;
  }

  /** Upload locations may be absolute or relative; keep them as paths on this registry's base. */
  resolveLocation(location: string): string {
    const url = new URL(location, this.base());
    return url.origin === new URL(this.base()).origin ? `${url.pathname}${url.search}` : url.toString();
  }

  /** One API request with auth, stall detection and (unless `retry: false`) retries. */
  async request(method: string, pathOrUrl: string, options: RequestOptions): Promise<HttpResponse> {
    const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${this.base()}${pathOrUrl}`;
    const attempts = options.retry === false ? 1 : this.attempts;
    const scopeKey = [...options.scopes].sort().join(' ');
    let authenticated = false;
    for (let attempt = 1; ; attempt++) {
      const headers: Record<string, string> = { 'User-Agent': this.options.userAgent ?? 'multiarch', ...options.headers };
      const authorization = authorizationFor(this.auth, scopeKey);
      if (authorization) headers.Authorization = authorization;
      const idle = createIdleTimer(this.options.idleTimeoutMs ?? 60_000);
      const signal = options.signal ? AbortSignal.any([options.signal, idle.signal]) : idle.signal;
      const raw = options.body?.();
      const body = raw === undefined || Buffer.isBuffer(raw) ? raw : touching(raw, idle);
      let res: HttpResponse;
      try {
        res = watchResponse(
          await this.fetchImpl(url, { method, headers, ...(body ? { body } : {}), redirect: 'follow', signal }),
          idle,
        );
      } catch (error) {
        idle.stop();
        if (options.signal?.aborted) throw new MultiarchError('E_CANCELED', `${method} ${this.host} canceled`);
        if (attempt < attempts) {
          await delay(this.backoff(attempt), options.signal);
          continue;
        }
        throw idle.fired() ? stallError(this.host, method, url, this.options.idleTimeoutMs ?? 60_000) : networkError(this.host, url, error);
      }
      if (res.status === 401 && !authenticated) {
        authenticated = true;
        await res.arrayBuffer().catch(() => undefined);
        await answerChallenge(
          { host: this.host, fetch: this.fetchImpl, credential: () => this.loadCredential() },
          this.auth,
          res.headers.get('www-authenticate'),
          options.scopes,
          scopeKey,
          // A token service that hangs is abandoned like any stalled request.
          AbortSignal.any([...(options.signal ? [options.signal] : []), AbortSignal.timeout(this.options.idleTimeoutMs ?? 60_000)]),
        );
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

  backoff(attempt: number): number {
    const base = this.options.baseDelayMs ?? 250;
    return Math.min(10_000, base * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
  }

  private loadCredential(): Promise<Credential | undefined> {
    this.credential ??= this.options.credential?.() ?? Promise.resolve(undefined);
    return this.credential;
  }
}

const opt = (signal?: AbortSignal) => (signal ? { signal } : {});
