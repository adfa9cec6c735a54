/**
 * A fault-injecting HTTP proxy on loopback between multiarch and a real registry (node:http). It
 * forwards everything (the Host header too, so the registry's upload Locations point back at the
 * proxy) and records every exchange; a `fault` rule may instead answer with a status, cut the
 * connection after part of the request body, or never answer. It can also act like ECR's
 * immutable repositories (a tag that holds another digest refuses to move) and ask for chunked
 * uploads (`OCI-Chunk-Min-Length`). A `hold` rule forwards the request, so the registry does it,
 * and then keeps the answer from the client (an answer lost on the way, or a client interrupted
 * while waiting). A multiarch config points at it with `url: proxy.host`.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ProxyExchange {
  /** When the exchange ended (ms since the epoch). */
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** The registry's status, the injected one, or 0 when the connection was cut or stalled. */
  readonly status: number;
  /** Request body bytes that reached the registry. */
  readonly bytesIn: number;
  readonly fault?: string;
}

export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly headers?: Record<string, string>; readonly body?: string }
  | { readonly kind: 'drop'; readonly afterBytes: number }
  | { readonly kind: 'stall' }
  | { readonly kind: 'hold' };

export interface FaultRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** The request's Content-Length (0 when absent). */
  readonly contentLength: number;
  /** Who asks: multiarch's client says `multiarch`; the engine and BuildKit say otherwise. */
  readonly userAgent: string;
}

export interface ProxyOptions {
  /** `127.0.0.1:5000` */
  readonly upstream: string;
  readonly fault?: (req: FaultRequest) => Fault | undefined;
  readonly immutableTags?: boolean;
  /** Added to the registry's answer when an upload session is opened (e.g. OCI-Chunk-Min-Length). */
  readonly sessionHeaders?: Record<string, string>;
  /**
   * Decline cross-repository mounts as ECR does for blobs no manifest references: the mount
   * parameters are dropped on the way, so the registry opens an upload session instead (202).
   */
  readonly declineMounts?: boolean;
  /** The loopback address to listen on (default 127.0.0.1); any of 127.0.0.0/8 works. */
  readonly listenHost?: string;
}

export interface FaultProxy {
  readonly host: string;
  readonly log: ProxyExchange[];
  setFault(fault: ProxyOptions['fault']): void;
  close(): Promise<void>;
  /** Goes away as a crashed registry does: open connections reset, new ones refused. */
  kill(): Promise<void>;
}

const isUploadPost = (method: string, path: string) => method === 'POST' && /\/blobs\/uploads\/?$/.test(path);
const tagPut = (method: string, path: string) => (method === 'PUT' ? /^\/v2\/(.+)\/manifests\/([^/:]+)$/.exec(path) : null);

export async function startFaultProxy(options: ProxyOptions): Promise<FaultProxy> {
  const [upHost, upPort] = options.upstream.split(':');
  const log: ProxyExchange[] = [];
  const sockets = new Set<Socket>();
  let fault = options.fault;

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, url: URL, rule: Fault | undefined, body?: Buffer) => {
    let bytesIn = 0;
    const record = (status: number, note?: string) =>
      log.push({ at: Date.now(), method: req.method ?? '', path: url.pathname, query: url.searchParams, status, bytesIn, ...(note ? { fault: note } : {}) });
    const up = http.request({ host: upHost, port: Number(upPort), method: req.method, path: req.url, headers: req.headers }, (upRes) => {
      if (rule?.kind === 'hold') {
        // The registry did it; the client never hears so (until it gives up or the proxy closes).
        upRes.resume();
        upRes.on('end', () => record(upRes.statusCode ?? 0, 'held'));
        return;
      }
      const headers = { ...upRes.headers };
      if (isUploadPost(req.method ?? '', url.pathname) && upRes.statusCode === 202) Object.assign(headers, options.sessionHeaders);
      res.writeHead(upRes.statusCode ?? 502, headers);
      upRes.pipe(res);
      upRes.on('end', () => record(upRes.statusCode ?? 0));
    });
    up.on('error', () => {
      if (!res.headersSent) res.destroy();
    });
    if (body) {
      bytesIn = body.length;
      up.end(body);
      return;
    }
    req.on('data', (chunk: Buffer) => {
      if (rule?.kind === 'drop' && bytesIn + chunk.length > rule.afterBytes) {
        const part = chunk.subarray(0, Math.max(0, rule.afterBytes - bytesIn));
        bytesIn += part.length;
        up.write(part, () => {
          up.destroy();
          req.socket.destroy();
          record(0, `dropped after ${bytesIn} bytes`);
        });
        req.pause();
        return;
      }
      bytesIn += chunk.length;
      if (!up.write(chunk)) {
        req.pause();
        up.once('drain', () => req.resume());
      }
    });
    req.on('end', () => up.end());
  };

  /** ECR-style: a tag that already holds another digest refuses to move. */
  const immutable = async (req: http.IncomingMessage, url: URL, repo: string, tag: string, body: Buffer): Promise<boolean> => {
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    const held = await new Promise<string | undefined>((resolve) => {
      const head = http.request(
        { host: upHost, port: Number(upPort), method: 'HEAD', path: `/v2/${repo}/manifests/${tag}`, headers: { ...req.headers, accept: 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json', 'content-length': '0' } },
        (r) => {
          r.resume();
          resolve(r.statusCode === 200 ? String(r.headers['docker-content-digest']) : undefined);
        },
      );
      head.on('error', () => resolve(undefined));
      head.end();
    });
    return held !== undefined && held !== digest;
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const request: FaultRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      contentLength: Number(req.headers['content-length'] ?? 0),
      userAgent: req.headers['user-agent'] ?? '',
    };
    const rule = fault?.(request);
    const note = (status: number, what: string) =>
      log.push({ at: Date.now(), method: request.method, path: request.path, query: request.query, status, bytesIn: 0, fault: what });
    if (rule?.kind === 'stall') {
      note(0, 'stalled');
      req.resume();
      return;
    }
    if (rule?.kind === 'status') {
      req.resume();
      req.on('end', () => {
        note(rule.status, `answered ${rule.status}`);
        res.writeHead(rule.status, { 'content-type': 'application/json', ...rule.headers });
        res.end(rule.body ?? '{"errors":[{"code":"UNAVAILABLE","message":"injected by the fault proxy"}]}');
      });
      return;
    }
    if (options.declineMounts && isUploadPost(request.method, request.path) && url.searchParams.has('mount')) {
      req.url = url.pathname;
    }
    const put = options.immutableTags ? tagPut(request.method, request.path) : null;
    if (!put || put[2]!.startsWith('sha256')) {
      forward(req, res, url, rule);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      void immutable(req, url, put[1]!, put[2]!, body).then((refuse) => {
        if (!refuse) return forward(req, res, url, rule, body);
        note(400, 'immutable tag');
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            errors: [{ code: 'TAG_INVALID', message: `The image tag '${put[2]}' already exists in the '${put[1]}' repository and cannot be overwritten because the repository is immutable.` }],
          }),
        );
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const listenHost = options.listenHost ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, listenHost, resolve));
  return {
    host: `${listenHost}:${(server.address() as AddressInfo).port}`,
    log,
    setFault(next) {
      fault = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
    kill: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.resetAndDestroy();
      }),
  };
}

/** A rule that fires on the `ns`-th requests (1-based) that `match`. */
export function onNth(match: (req: FaultRequest) => boolean, ns: readonly number[], fault: Fault): (req: FaultRequest) => Fault | undefined {
  let n = 0;
  return (req) => {
    if (!match(req)) return undefined;
    n++;
    return ns.includes(n) ? fault : undefined;
  };
}

/** Blob bytes sent per digest: uploads (PUT with digest=, after PATCHes of the same session). */
export function uploadsByDigest(log: readonly ProxyExchange[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of log) {
    const digest = e.method === 'PUT' && e.status === 201 ? e.query.get('digest') : null;
    if (digest) counts.set(digest, (counts.get(digest) ?? 0) + 1);
  }
  return counts;
}

/** Request body bytes the registry received for blob uploads (PATCH and PUT on upload sessions). */
export function uploadedBytes(log: readonly ProxyExchange[]): number {
  return log.filter((e) => /\/blobs\/uploads\//.test(e.path) && (e.method === 'PUT' || e.method === 'PATCH')).reduce((sum, e) => sum + e.bytesIn, 0);
}
