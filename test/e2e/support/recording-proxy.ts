/**
 * A recording HTTP proxy on loopback in front of a registry: every request (method and path) is
 * remembered, so a test can prove what a run did — e.g. that a second apply wrote nothing.
 * Bodies are streamed both ways; `Location` headers are rewritten to point back at the proxy.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

export interface RecordingProxy {
  /** `127.0.0.1:<port>`: use it as the registry url. */
  readonly host: string;
  readonly requests: RecordedRequest[];
  /** Requests that change the registry (PUT, POST, PATCH, DELETE). */
  writes(): RecordedRequest[];
  reset(): void;
  close(): Promise<void>;
}

export async function startRecordingProxy(upstream: string): Promise<RecordingProxy> {
  const requests: RecordedRequest[] = [];
  const [upHost, upPort] = upstream.split(':');
  let self = '';
  const server = http.createServer((req, res) => {
    const forward = http.request(
      { host: upHost, port: Number(upPort), method: req.method, path: req.url, headers: { ...req.headers, host: upstream } },
      (up) => {
        const headers = { ...up.headers };
        if (typeof headers.location === 'string') headers.location = headers.location.replace(`http://${upstream}`, `http://${self}`);
        requests.push({ method: req.method ?? '', path: req.url ?? '', status: up.statusCode ?? 0 });
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
      },
    );
    forward.on('error', (error) => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', status: 502 });
      res.writeHead(502).end(String(error));
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host: self,
    requests,
    writes: () => requests.filter((r) => !['GET', 'HEAD'].includes(r.method)),
    reset: () => void requests.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
