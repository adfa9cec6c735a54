/**
 * A tiny in-process HTTP server standing in for a registry's HTTP behaviour (challenges, tokens,
 * retries, upload sessions) so the client's pure protocol logic can be driven exactly. Every
 * request is recorded; `route` answers it. The real registry is exercised by the e2e tests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';

export interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Never answer (a stalled server). */
  readonly hang?: boolean;
  /** Cut the connection instead of answering (a reset). */
  readonly reset?: boolean;
}

export type Route = (req: Recorded) => Answer;

const servers: http.Server[] = [];
afterAll(async () => {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  );
});

export async function startServer(route: Route) {
  const requests: Recorded[] = [];
  let current = route;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const recorded: Recorded = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(recorded);
      let answer: Answer;
      try {
        answer = current(recorded);
      } catch (error) {
        answer = { status: 599, body: String(error) };
      }
      if (answer.hang) return;
      if (answer.reset) {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.status, answer.headers);
      res.end(req.method === 'HEAD' ? undefined : answer.body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    requests,
    /** Requests other than to the token endpoint. */
    api: () => requests.filter((r) => r.path.startsWith('/v2/')),
    tokenRequests: () => requests.filter((r) => r.path === '/token'),
    setRoute: (r: Route) => {
      current = r;
    },
  };
}

/** A port nothing listens on (a server was there a moment ago). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const basicHeader = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
