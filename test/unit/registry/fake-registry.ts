/**
 * An in-memory distribution API behind the http double: upload sessions (POST, PATCH with
 * Content-Range, GET status, PUT with digest), blobs, mounts and manifests by tag or digest —
 * enough protocol to drive uploads, stores and idempotent writes exactly. Faults are injected by
 * wrapping `route` (see `withFaults`).
 */
import { sha256Digest } from '../../../src/image/descriptor.js';
import type { Answer, Recorded, Route } from './http-double.js';

export interface FakeRegistry {
  readonly route: Route;
  readonly blobs: Map<string, Buffer>;
  /** repo → digests it holds. */
  readonly repoBlobs: Map<string, Set<string>>;
  /** `repo:ref` → manifest bytes and type. */
  readonly manifests: Map<string, { bytes: Buffer; type: string }>;
  /** Headers added to every POST that opens an upload session. */
  readonly sessionHeaders: Record<string, string>;
  /** Tags that refuse to move, answered like ECR. */
  immutable: boolean;
}

export function fakeRegistry(): FakeRegistry {
  const sessions = new Map<string, Buffer>();
  const blobs = new Map<string, Buffer>();
  const repoBlobs = new Map<string, Set<string>>();
  const manifests = new Map<string, { bytes: Buffer; type: string }>();
  let next = 0;
  const hold = (repo: string, digest: string) => {
    if (!repoBlobs.has(repo)) repoBlobs.set(repo, new Set());
    repoBlobs.get(repo)!.add(digest);
  };
  const fake: FakeRegistry = {
    blobs,
    repoBlobs,
    manifests,
    sessionHeaders: {},
    immutable: false,
    route(req: Recorded): Answer {
      const m = /^\/v2\/(.+?)\/(blobs\/uploads\/?(.*)|blobs\/(sha256:[a-f0-9]+)|manifests\/(.+))$/.exec(req.path);
      if (!m) return { status: 404 };
      const repo = m[1]!;
      if (m[2]!.startsWith('blobs/uploads')) {
        const id = m[3] ?? '';
        if (req.method === 'POST') {
          const mount = req.query.get('mount');
          if (mount && blobs.has(mount) && repoBlobs.get(req.query.get('from') ?? '')?.has(mount)) {
            hold(repo, mount);
            return { status: 201 };
          }
          const sid = `s${++next}`;
          sessions.set(sid, Buffer.alloc(0));
          return { status: 202, headers: { location: `/v2/${repo}/blobs/uploads/${sid}?_state=x`, range: '0-0', ...fake.sessionHeaders } };
        }
        const data = sessions.get(id);
        if (data === undefined) return { status: 404, body: '{"errors":[{"code":"BLOB_UPLOAD_UNKNOWN"}]}' };
        const status = () => ({ location: `/v2/${repo}/blobs/uploads/${id}?_state=y`, range: `0-${Math.max(0, data.length - 1)}` });
        if (req.method === 'GET') return { status: 204, headers: status() };
        if (req.method === 'DELETE') {
          sessions.delete(id);
          return { status: 204 };
        }
        if (req.method === 'PATCH') {
          const [from] = (String(req.headers['content-range'] ?? `${data.length}-`)).split('-').map(Number);
          if (from !== data.length) return { status: 416 };
          const grown = Buffer.concat([data, req.body]);
          sessions.set(id, grown);
          return { status: 202, headers: { location: `/v2/${repo}/blobs/uploads/${id}?_state=z`, range: `0-${grown.length - 1}` } };
        }
        if (req.method === 'PUT') {
          const all = Buffer.concat([data, req.body]);
          const digest = req.query.get('digest') ?? '';
          sessions.delete(id);
          if (sha256Digest(all) !== digest) return { status: 400, body: '{"errors":[{"code":"DIGEST_INVALID","message":"provided digest did not match uploaded content"}]}' };
          blobs.set(digest, all);
          hold(repo, digest);
          return { status: 201, headers: { 'docker-content-digest': digest } };
        }
      }
      if (m[4]) {
        const digest = m[4];
        if (!repoBlobs.get(repo)?.has(digest)) return { status: 404 };
        const bytes = blobs.get(digest)!;
        const range = /bytes=(\d+)-(\d*)/.exec(String(req.headers.range ?? ''));
        if (range) {
          const end = range[2] ? Number(range[2]) + 1 : bytes.length;
          return { status: 206, body: bytes.subarray(Number(range[1]), end) };
        }
        return { status: 200, headers: { 'content-length': String(bytes.length) }, body: bytes };
      }
      const key = `${repo}:${m[5]}`;
      if (req.method === 'PUT') {
        const digest = sha256Digest(req.body);
        const old = manifests.get(key);
        if (fake.immutable && old && !m[5]!.startsWith('sha256:')) {
          return { status: 400, body: `{"errors":[{"code":"TAG_INVALID","message":"The image tag '${m[5]}' already exists in the '${repo}' repository and cannot be overwritten because the repository is immutable."}]}` };
        }
        const doc = { bytes: req.body, type: String(req.headers['content-type']) };
        manifests.set(key, doc);
        manifests.set(`${repo}:${digest}`, doc);
        return { status: 201, headers: { 'docker-content-digest': digest } };
      }
      const doc = manifests.get(key);
      if (!doc) return { status: 404 };
      return { status: 200, headers: { 'content-type': doc.type, 'docker-content-digest': sha256Digest(doc.bytes), 'content-length': String(doc.bytes.length) }, body: doc.bytes };
    },
  };
  return fake;
}

/** `fault(req, n)` may answer instead of the registry; n counts requests that matched `when`. */
export function withFaults(inner: Route, when: (req: Recorded) => boolean, fault: (req: Recorded, n: number) => Answer | undefined): Route {
  let n = 0;
  return (req) => (when(req) ? (fault(req, ++n) ?? inner(req)) : inner(req));
}
