/**
 * The registry client's fetch: HEAD requests go over node:http(s) with keep-alive agents, the rest
 * through the global fetch. A no-op plan asks the registries only HEADs (tags, base images), and
 * Node 20's fetch costs 50–150 ms of CPU the first time it runs (it loads undici and compiles its
 * llhttp WebAssembly) — as much as the rest of such a run. A HEAD has no body, so its answer is
 * the status and headers only; a redirect is left to fetch, which follows it. Edge (network).
 */
import http from 'node:http';
import https from 'node:https';

/** One pool of sockets per scheme for the whole run: requests to one registry reuse connections. */
const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) } as const;

export const registryFetch: typeof fetch = (input, init) => {
  if (init?.method !== 'HEAD' || init.body != null || typeof input !== 'string') return fetch(input, init);
  return head(input, init);
};

function head(url: string, init: RequestInit): Promise<Response> {
  const parsed = new URL(url);
  const agent = parsed.protocol === 'https:' ? agents['https:'] : parsed.protocol === 'http:' ? agents['http:'] : undefined;
  if (!agent) return fetch(url, init);
  const transport = parsed.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      parsed,
      { method: 'HEAD', agent, headers: (init.headers ?? {}) as Record<string, string>, ...(init.signal ? { signal: init.signal } : {}) },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        // Redirects are rare for manifests; fetch knows how to follow them (and which headers to drop).
        if (status >= 300 && status < 400 && res.headers.location && init.redirect !== 'manual') return resolve(fetch(url, init));
        resolve(headResponse(url, status, res.statusMessage ?? '', res.headers));
      },
    );
    // The same shape as fetch's failures (a TypeError whose cause is the socket error): the client
    // reads the cause's code to say what is wrong (networkError).
    req.on('error', (error) => reject(init.signal?.aborted ? (init.signal.reason ?? error) : new TypeError('fetch failed', { cause: error })));
    req.end();
  });
}

/** A Response as fetch gives it for a HEAD: no body. Not a real Response, whose class is undici's. */
function headResponse(url: string, status: number, statusText: string, raw: http.IncomingHttpHeaders): Response {
  const get = (name: string): string | null => {
    const value = raw[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  };
  const entries = () => Object.entries(raw).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(', ') : v] as [string, string]]));
  const headers = {
    get,
    has: (name: string) => get(name) !== null,
    forEach: (fn: (value: string, key: string) => void) => entries().forEach(([k, v]) => fn(v, k)),
    entries,
    [Symbol.iterator]: () => entries()[Symbol.iterator](),
  };
  const response = {
    url,
    status,
    statusText,
    ok: status >= 200 && status < 300,
    redirected: false,
    type: 'basic',
    headers,
    body: null,
    bodyUsed: false,
    arrayBuffer: async () => new ArrayBuffer(0),
    text: async () => '',
  };
  return response as unknown as Response;
}
