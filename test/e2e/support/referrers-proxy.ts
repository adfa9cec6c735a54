/**
 * The OCI 1.1 referrers API in front of a registry that lacks it (distribution 2.8): a loopback
 * proxy that forwards every request to the real registry (which stores every manifest and blob
 * for real) and, as a registry implementing the API does, indexes each manifest PUT that carries
 * a `subject` once the registry accepted it, answering `GET /v2/<name>/referrers/<digest>` with an
 * image index of them (artifactType, annotations). With `answer: false` it forwards that request
 * too, so the registry's own 404 comes back. Every exchange is logged.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReferrersProxy {
  readonly host: string;
  readonly log: Array<{ method: string; path: string; status: number }>;
  /** `repo@subject digest` → the referrer descriptors stored. */
  readonly referrers: Map<string, Array<{ mediaType: string; digest: string; size: number; artifactType?: string }>>;
  close(): Promise<void>;
}

export async function startReferrersProxy(upstream: string, answer: boolean): Promise<ReferrersProxy> {
  const [upHost, upPort] = upstream.split(':');
  const log: ReferrersProxy['log'] = [];
  const referrers: ReferrersProxy['referrers'] = new Map();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = new URL(req.url ?? '/', 'http://proxy').pathname;
      const asked = req.method === 'GET' ? /^\/v2\/(.+)\/referrers\/(sha256:[0-9a-f]{64})$/.exec(path) : null;
      if (asked && answer) {
        const doc = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: referrers.get(`${asked[1]}@${asked[2]}`) ?? [] };
        res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.index.v1+json' }).end(JSON.stringify(doc));
        log.push({ method: 'GET', path, status: 200 });
        return;
      }
      const up = http.request({ host: upHost, port: Number(upPort), method: req.method, path: req.url, headers: req.headers }, (upRes) => {
        const put = req.method === 'PUT' ? /^\/v2\/(.+)\/manifests\/[^/]+$/.exec(path) : null;
        if (put && upRes.statusCode === 201) index(put[1]!, body);
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
        upRes.on('end', () => log.push({ method: req.method ?? '', path, status: upRes.statusCode ?? 0 }));
      });
      up.on('error', () => res.destroy());
      up.end(body);
    });
  });
  const index = (repo: string, body: Buffer) => {
    let doc: { mediaType?: string; artifactType?: string; subject?: { digest: string }; config?: { mediaType: string } };
    try {
      doc = JSON.parse(body.toString('utf8'));
    } catch {
      return;
    }
    if (!doc.subject) return;
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    const key = `${repo}@${doc.subject.digest}`;
    const list = referrers.get(key) ?? [];
    if (!list.some((d) => d.digest === digest)) list.push({ mediaType: doc.mediaType ?? '', digest, size: body.length, artifactType: doc.artifactType ?? doc.config?.mediaType ?? '' });
    referrers.set(key, list);
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    log,
    referrers,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
