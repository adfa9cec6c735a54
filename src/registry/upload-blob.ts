/**
 * Blob uploads that survive real networks. A session starts with a POST; the bytes go in one PUT
 * (monolithic), or — above the chunk size, or when the registry asks for chunks with
 * `OCI-Chunk-Min-Length` — in PATCHes with `Content-Range`, closed by a PUT with the digest. A chunk
 * that breaks (reset, stall, 5xx) resumes where the registry says it got to (GET on the session);
 * a session the registry cannot resume starts over, within the client's tries. The registry
 * verifies the digest on the closing PUT, and its `Docker-Content-Digest` must be ours. Edge.
 */
import { isMultiarchError, MultiarchError } from '../errors/multiarch-error.js';
import type { HttpHeaders, HttpResponse } from './http-transport.js';
import { delay } from './retry-wait.js';
import { pushPull } from './token-scopes.js';
import { describeRegistryBody, httpError } from './registry-error.js';

export interface UploadSource {
  readonly digest: string;
  readonly size: number;
  /** The bytes [start, end): a fresh stream on every call (tries and resumes ask again). */
  open(start: number, end: number): Buffer | AsyncIterable<Uint8Array>;
}

export interface UploadOptions {
  readonly chunkSize: number;
  readonly signal?: AbortSignal;
}

export interface UploadResult {
  readonly chunked: boolean;
  /** Upload sessions opened (1 unless one had to start over). */
  readonly sessions: number;
  /** Chunks resumed after a break. */
  readonly resumes: number;
}

/** The part of the client an upload needs. */
export interface UploadClient {
  readonly host: string;
  readonly attempts: number;
  request(method: string, pathOrUrl: string, options: { headers?: Record<string, string>; body?: () => Buffer | AsyncIterable<Uint8Array>; scopes: readonly string[]; signal?: AbortSignal; retry?: boolean }): Promise<HttpResponse>;
  resolveLocation(location: string): string;
  backoff(attempt: number): number;
}

/** Chunks that pass a proxy's default body limit (nginx: 1 MiB) after a 413. */
const SMALL_CHUNK = 512 * 1024;

/** A failure worth a new session. */
class StartOver {
  constructor(
    readonly error: MultiarchError,
    readonly smallerChunks = false,
  ) {}
}

export async function uploadBlob(client: UploadClient, repo: string, source: UploadSource, options: UploadOptions): Promise<UploadResult> {
  const scopes = [pushPull(repo)];
  const signal = options.signal;
  let sessions = 0;
  let resumes = 0;
  let chunkOverride: number | undefined;
  let chunked = false;
  for (;;) {
    sessions++;
    const start = await client.request('POST', `/v2/${repo}/blobs/uploads/`, { scopes, ...(signal ? { signal } : {}) });
    const startText = await start.text();
    const location = start.headers.get('location');
    if (start.status !== 202 || !location) throw httpError(`start upload to ${repo}`, client.host, start.status, startText, start.headers);
    const minChunk = Number(start.headers.get('oci-chunk-min-length')) || 0;
    const chunk = Math.max(minChunk, chunkOverride ?? options.chunkSize);
    chunked = chunkOverride !== undefined || minChunk > 0 || source.size > options.chunkSize;
    const session: Session = { client, repo, source, scopes, url: client.resolveLocation(location), ...(signal ? { signal } : {}) };
    try {
      if (chunked) resumes += await sendChunks(session, chunk);
      else await sendWhole(session);
      return { chunked, sessions, resumes };
    } catch (error) {
      if (!(error instanceof StartOver)) throw error;
      if (error.smallerChunks) chunkOverride = SMALL_CHUNK;
      if (sessions >= client.attempts) throw error.error;
      await delay(client.backoff(sessions), signal);
    }
  }
}

interface Session {
  readonly client: UploadClient;
  readonly repo: string;
  readonly source: UploadSource;
  readonly scopes: readonly string[];
  readonly signal?: AbortSignal;
  url: string;
}

async function sendWhole(s: Session): Promise<void> {
  const { size } = s.source;
  const res = await attempt(s, 'PUT', withDigest(s.url, s.source.digest), {
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(size),
  }, () => s.source.open(0, size));
  await finish(s, res);
}

/** Returns how many times a chunk was resumed. */
async function sendChunks(s: Session, chunk: number): Promise<number> {
  const { size } = s.source;
  let offset = 0;
  let resumes = 0;
  while (offset < size) {
    const from = offset;
    const end = Math.min(size, from + chunk);
    let res: HttpResponse | undefined;
    let failure: StartOver | undefined;
    try {
      res = await attempt(s, 'PATCH', s.url, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(end - from),
        'Content-Range': `${from}-${end - 1}`,
      }, () => s.source.open(from, end));
    } catch (error) {
      if (!(error instanceof StartOver)) throw error;
      failure = error;
    }
    if (res?.status === 202) {
      await res.arrayBuffer();
      s.url = s.client.resolveLocation(res.headers.get('location') ?? s.url);
      offset = rangeEnd(res.headers.get('range')) ?? end;
      continue;
    }
    if (res) {
      const text = await res.text();
      if (res.status === 413) throw new StartOver(httpError(`upload ${s.source.digest} to ${s.repo}`, s.client.host, res.status, text, res.headers), true);
      failure = classify(s, res.status, text, res.headers);
    }
    // Ask the registry how far it got, and go on from there.
    resumes++;
    if (resumes > s.client.attempts) throw failure!;
    await delay(s.client.backoff(resumes), s.signal);
    const status = await s.client.request('GET', s.url, { scopes: s.scopes, ...(s.signal ? { signal: s.signal } : {}) });
    await status.arrayBuffer().catch(() => undefined);
    if (status.status !== 204) throw failure!;
    s.url = s.client.resolveLocation(status.headers.get('location') ?? s.url);
    offset = rangeEnd(status.headers.get('range')) ?? 0;
  }
  const res = await attempt(s, 'PUT', withDigest(s.url, s.source.digest), { 'Content-Length': '0' });
  await finish(s, res);
  return resumes;
}

/** One try; a network failure or stall becomes StartOver, other answers are returned. */
async function attempt(s: Session, method: string, url: string, headers: Record<string, string>, body?: () => Buffer | AsyncIterable<Uint8Array>): Promise<HttpResponse> {
  try {
    return await s.client.request(method, url, { headers, scopes: s.scopes, retry: false, ...(body ? { body } : {}), ...(s.signal ? { signal: s.signal } : {}) });
  } catch (error) {
    if (isMultiarchError(error) && error.code === 'E_REGISTRY_UNREACHABLE') throw new StartOver(error);
    throw error;
  }
}

/** The closing PUT: 201 with our digest, or a failure sorted into start-over or give-up. */
async function finish(s: Session, res: HttpResponse): Promise<void> {
  const text = await res.text();
  if (res.status === 413) throw new StartOver(httpError(`upload ${s.source.digest} to ${s.repo}`, s.client.host, res.status, text, res.headers), true);
  if (res.status !== 201) throw classify(s, res.status, text, res.headers);
  const stored = res.headers.get('docker-content-digest');
  if (stored && stored !== s.source.digest) {
    throw new MultiarchError('E_DIGEST_MISMATCH', `${s.client.host} stored blob ${s.source.digest} as ${stored}`, {
      hint: 'the registry changed the bytes it was sent; check proxies between here and the registry',
    });
  }
}

/** Worth a new session: server trouble, or a session the registry lost or could not finish. */
function classify(s: Session, status: number, text: string, headers: HttpHeaders): StartOver {
  const error = httpError(`upload ${s.source.digest} to ${s.repo}`, s.client.host, status, text, headers);
  const code = describeRegistryBody(text) ?? '';
  const restartable = status >= 500 || status === 429 || status === 404 || status === 416 || (status === 400 && /BLOB_UPLOAD|DIGEST_INVALID|SIZE_INVALID/.test(code));
  if (!restartable) throw error;
  return new StartOver(error);
}

function withDigest(url: string, digest: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`;
}

/** `Range: 0-1023` (or `bytes=0-1023`) → 1024, the offset to go on from. */
export function rangeEnd(header: string | null): number | undefined {
  const m = header ? /(\d+)-(\d+)/.exec(header) : null;
  if (!m) return undefined;
  const last = Number(m[2]);
  return last === 0 ? 0 : last + 1;
}
