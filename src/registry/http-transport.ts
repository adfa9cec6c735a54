/**
 * The registry client's HTTP: every request over node:http(s), one keep-alive agent per scheme,
 * answered in the shape of fetch's Response (the members the client uses). Node 20's global fetch
 * costs 50–150 ms of CPU the first time it runs (it loads undici and compiles its llhttp
 * WebAssembly) — as much as the rest of a short run — and even its Response class loads undici;
 * node:http is loaded already. What the client relies on from fetch is kept: redirects followed as
 * fetch follows them (registries send blob GETs to storage elsewhere), `redirect: 'manual'`, aborts
 * that reject with the signal's reason, failures as `TypeError('fetch failed', { cause })` whose
 * cause is the socket error (the client reads its code to say what is wrong), bodies streamed both
 * ways and readable once. Nothing asks for compression; an encoded answer is decoded as fetch
 * would. TLS is Node's default (system CAs, NODE_EXTRA_CA_CERTS); `insecure` registries are plain
 * http. Edge (network).
 */
import http from 'node:http';
import https from 'node:https';
import { pipeline, Readable } from 'node:stream';
import zlib from 'node:zlib';

/** A request body: bytes, text, a form, or a stream (sent as it is pulled). */
export type HttpBody = string | Uint8Array | URLSearchParams | AsyncIterable<Uint8Array>;

export interface HttpRequestInit {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: HttpBody;
  /** 'follow' (the default) as fetch follows; 'manual' answers the 3xx itself. */
  readonly redirect?: 'follow' | 'manual' | 'error';
  readonly signal?: AbortSignal;
}

export interface HttpHeaders {
  get(name: string): string | null;
  has(name: string): boolean;
}

export interface HttpResponse {
  /** The URL that answered (the last one when redirected). */
  readonly url: string;
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly redirected: boolean;
  readonly headers: HttpHeaders;
  /** The body as it arrives, null for HEAD, 204 and 304; read once, here or by the methods below. */
  readonly body: AsyncIterable<Uint8Array> | null;
  readonly bodyUsed: boolean;
  arrayBuffer(): Promise<ArrayBuffer>;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

export type HttpFetch = (url: string, init?: HttpRequestInit) => Promise<HttpResponse>;

/**
 * One pool of sockets per scheme for the whole run: requests to one registry reuse connections. An
 * idle socket is let go after 4 s (undici's default), sooner when the server's `Keep-Alive: timeout`
 * says so (Node heeds the hint only under a timeout of its own): reusing a socket the server is
 * closing fails the request.
 */
const keepAlive = { keepAlive: true, timeout: 4000 };
const agents: Record<string, http.Agent> = { 'http:': new http.Agent(keepAlive), 'https:': new https.Agent(keepAlive) };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** fetch's limit. */
const MAX_REDIRECTS = 20;
/** Headers that describe a body, dropped with it when a redirect turns the request into a GET. */
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'];
/** Credentials fetch does not carry to another origin. */
const ORIGIN_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];

export const registryFetch: HttpFetch = async (url, init = {}) => {
  const { signal } = init;
  let current = new URL(url);
  let method = (init.method ?? 'GET').toUpperCase();
  let headers: Record<string, string> = { ...init.headers };
  let body = init.body;
  for (let redirects = 0; ; redirects++) {
    signal?.throwIfAborted();
    const res = await send(current, method, headers, body, signal);
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (!REDIRECTS.has(status) || location === undefined || init.redirect === 'manual') return answer(current, method, res, redirects > 0, signal);
    res.resume();
    if (init.redirect === 'error') throw fetchFailed(new Error(`unexpected redirect to ${location}`));
    if (redirects >= MAX_REDIRECTS) throw fetchFailed(new Error('redirect count exceeded'));
    const next = URL.canParse(location, current) ? new URL(location, current) : undefined;
    if (!next || (next.protocol !== 'http:' && next.protocol !== 'https:')) throw fetchFailed(new Error(`cannot follow a redirect to ${location}`));
    if (((status === 301 || status === 302) && method === 'POST') || (status === 303 && method !== 'GET' && method !== 'HEAD')) {
      method = 'GET';
      body = undefined;
      headers = without(headers, BODY_HEADERS);
    } else if (body !== undefined && isStream(body)) {
      // A stream was pulled once; it cannot be sent again (fetch fails the same way).
      throw fetchFailed(new Error('cannot send a streamed body again to follow a redirect'));
    }
    if (next.origin !== current.origin) headers = without(headers, ORIGIN_HEADERS);
    current = next;
  }
};

/** One exchange: resolves at the response's headers; the body (and the signal's watch) goes on. */
function send(url: URL, method: string, headers: Record<string, string>, body: HttpBody | undefined, signal: AbortSignal | undefined): Promise<http.IncomingMessage> {
  const agent = agents[url.protocol];
  if (!agent) return Promise.reject(fetchFailed(new Error(`unsupported protocol ${url.protocol}`)));
  const payload = encode(body);
  const out: Record<string, string> = { accept: '*/*', ...headers };
  if (payload.type && !has(out, 'content-type')) out['content-type'] = payload.type;
  // As fetch: bytes go with their Content-Length (node:http sets it), a POST/PUT/PATCH without
  // body says 0 (node:http would send it chunked), a stream without a length given goes chunked.
  if (!payload.bytes && !payload.stream && /^(POST|PUT|PATCH)$/.test(method) && !has(out, 'content-length')) out['content-length'] = '0';
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? https : http).request(url, { method, headers: out, agent });
    // Cutting the socket ends the body too; its reader then rejects with the reason (bodyOf).
    const abort = () => {
      req.destroy();
      reject(signal!.reason);
    };
    const done = () => signal?.removeEventListener('abort', abort);
    signal?.addEventListener('abort', abort, { once: true });
    // A body stream that fails cuts the request; its error says more than the socket's.
    let bodyError: unknown;
    // Stays for the request's life: a late error (an upload cut after the answer) must not go unheard.
    req.on('error', (error) => {
      done();
      reject(signal?.aborted ? signal.reason : fetchFailed(bodyError ?? error));
    });
    req.on('response', (incoming) => {
      incoming.once('close', done);
      resolve(incoming);
    });
    if (payload.stream) pipeline(Readable.from(noting(payload.stream, (error) => (bodyError = error)), { objectMode: false }), req, () => undefined);
    else req.end(payload.bytes);
  });
}

function encode(body: HttpBody | undefined): { bytes?: Uint8Array; stream?: AsyncIterable<Uint8Array>; type?: string } {
  if (body === undefined) return {};
  if (typeof body === 'string') return { bytes: Buffer.from(body), type: 'text/plain;charset=UTF-8' };
  if (body instanceof URLSearchParams) return { bytes: Buffer.from(body.toString()), type: 'application/x-www-form-urlencoded;charset=UTF-8' };
  if (body instanceof Uint8Array) return { bytes: body };
  return { stream: body };
}

async function* noting(stream: AsyncIterable<Uint8Array>, note: (error: unknown) => void): AsyncGenerator<Uint8Array> {
  try {
    yield* stream;
  } catch (error) {
    note(error);
    throw error;
  }
}

const isStream = (body: HttpBody): body is AsyncIterable<Uint8Array> => typeof body === 'object' && Symbol.asyncIterator in body;

function answer(url: URL, method: string, res: http.IncomingMessage, redirected: boolean, signal: AbortSignal | undefined): HttpResponse {
  const status = res.statusCode ?? 0;
  const meta = { url: url.toString(), status, statusText: res.statusMessage ?? '', redirected, headers: headersOf(res.headers) };
  if (method === 'HEAD' || status === 204 || status === 304) {
    res.resume();
    return new StreamedResponse(meta, null);
  }
  return new StreamedResponse(meta, bodyOf(decoded(res), signal));
}

/** An answer encoded though nothing asked for it, decoded as fetch would. */
function decoded(res: http.IncomingMessage): Readable {
  const coding = String(res.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder = coding === 'gzip' || coding === 'x-gzip' ? zlib.createGunzip() : coding === 'deflate' ? zlib.createInflate() : coding === 'br' ? zlib.createBrotliDecompress() : undefined;
  return decoder ? pipeline(res, decoder, () => undefined) : res;
}

/** The body's chunks; a connection lost midway fails as fetch's body does (`terminated`). */
async function* bodyOf(stream: Readable, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new TypeError('terminated', { cause: error });
  }
}

class StreamedResponse implements HttpResponse {
  readonly url: string;
  readonly status: number;
  readonly statusText: string;
  readonly redirected: boolean;
  readonly headers: HttpHeaders;
  #source: AsyncIterable<Uint8Array> | null;
  #used = false;

  constructor(meta: Pick<HttpResponse, 'url' | 'status' | 'statusText' | 'redirected' | 'headers'>, source: AsyncIterable<Uint8Array> | null) {
    this.url = meta.url;
    this.status = meta.status;
    this.statusText = meta.statusText;
    this.redirected = meta.redirected;
    this.headers = meta.headers;
    this.#source = source;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get bodyUsed(): boolean {
    return this.#used;
  }

  get body(): AsyncIterable<Uint8Array> | null {
    return this.#source === null ? null : { [Symbol.asyncIterator]: () => this.#take()[Symbol.asyncIterator]() };
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.#bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    return (await this.#bytes()).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  async #bytes(): Promise<Buffer> {
    if (this.#source === null) return Buffer.alloc(0);
    const chunks: Uint8Array[] = [];
    for await (const chunk of this.#take()) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  #take(): AsyncIterable<Uint8Array> {
    if (this.#used || this.#source === null) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return this.#source;
  }
}

/** The same answer with another body (one that watches the original as it is read). */
export function withBody(res: HttpResponse, body: AsyncIterable<Uint8Array>): HttpResponse {
  return new StreamedResponse(res, body);
}

function headersOf(raw: http.IncomingHttpHeaders): HttpHeaders {
  const get = (name: string): string | null => {
    const value = raw[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  };
  return { get, has: (name) => get(name) !== null };
}

const has = (headers: Record<string, string>, name: string) => Object.keys(headers).some((k) => k.toLowerCase() === name);

function without(headers: Record<string, string>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !names.includes(k.toLowerCase())));
}

function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}
