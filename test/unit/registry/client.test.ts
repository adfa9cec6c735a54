import { describe, expect, it } from 'vitest';
import { sha256Digest } from '../../../src/image/descriptor.js';
import { client, manifest, okManifest } from './client-fixtures.js';
import { closedPort, startServer, type Answer } from './http-double.js';

describe('RegistryClient: retries', () => {
  /** Answers `failures` in turn, then `then`. */
  const flaky = (failures: Answer[], then: Answer) => {
    let n = 0;
    return () => failures[n++] ?? then;
  };

  it('retries a 503 and succeeds', async () => {
    const server = await startServer(flaky([{ status: 503 }, { status: 502, body: 'Bad Gateway' }], okManifest));
    const got = await client(server.host).c.getManifest('team/web', 'v1');
    expect(got?.digest).toBe(manifest.digest);
    expect(server.requests).toHaveLength(3);
  });

  it('retries a 429, honouring Retry-After: 0', async () => {
    const server = await startServer(flaky([{ status: 429, headers: { 'retry-after': '0' } }], { status: 200 }));
    const started = Date.now();
    expect(await client(server.host).c.hasBlob('team/web', sha256Digest('x'))).toBe(true);
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('gives up after `attempts` and reports the last answer', async () => {
    const server = await startServer(() => ({ status: 503, body: '{"errors":[{"code":"UNAVAILABLE","message":"try later"}]}' }));
    const error = await client(server.host, { attempts: 3 }).c.getManifest('team/web', 'v1').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_REGISTRY', message: `GET manifest team/web:v1 on ${server.host}: HTTP 503 (UNAVAILABLE: try later)` });
    expect(server.requests).toHaveLength(3);
  });

  it('gives up on a 429 with the rate-limit hint', async () => {
    const server = await startServer(() => ({ status: 429, headers: { 'retry-after': '0', 'ratelimit-remaining': '0' } }));
    await expect(client(server.host, { attempts: 2 }).c.headManifest('team/web', 'v1')).rejects.toMatchObject({
      code: 'E_REGISTRY',
      hint: 'the registry is rate limiting (ratelimit-remaining: 0); log in or try later',
    });
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry a 4xx', async () => {
    const server = await startServer(() => ({ status: 400, body: '{"errors":[{"code":"MANIFEST_INVALID","message":"manifest invalid"}]}' }));
    await expect(client(server.host).c.putManifest('team/web', 'v1', manifest)).rejects.toMatchObject({ code: 'E_REGISTRY' });
    expect(server.requests).toHaveLength(1);
  });

  it('reports a connection refused as E_REGISTRY_UNREACHABLE after retrying', async () => {
    const host = `127.0.0.1:${await closedPort()}`;
    await expect(client(host, { attempts: 2 }).c.headManifest('team/web', 'v1')).rejects.toMatchObject({
      code: 'E_REGISTRY_UNREACHABLE',
      message: expect.stringContaining(`cannot reach ${host}`),
      hint: `nothing listens at ${host}; start the registry or fix the url`,
      // Named for the summary's "Unreachable registries".
      registry: host,
    });
  });

  it('says to set insecure when it speaks TLS to a plain HTTP registry', async () => {
    const server = await startServer(() => ({ status: 200 }));
    await expect(client(server.host, { scheme: 'https', attempts: 1 }).c.headManifest('team/web', 'v1')).rejects.toMatchObject({
      code: 'E_REGISTRY_UNREACHABLE',
      hint: 'the registry speaks plain HTTP: set insecure: true on it (only for registries you run yourself)',
    });
  });

  it('stops at once when the signal aborts', async () => {
    const server = await startServer(() => ({ status: 503 }));
    const controller = new AbortController();
    controller.abort();
    await expect(client(server.host).c.headManifest('team/web', 'v1', controller.signal)).rejects.toMatchObject({ code: 'E_CANCELED' });
    expect(server.requests).toHaveLength(0);
  });
});

describe('RegistryClient: manifests', () => {
  it('puts a manifest with its media type and accepts the registry’s matching digest', async () => {
    const server = await startServer((req) => ({ status: 201, headers: { 'docker-content-digest': sha256Digest(req.body) } }));
    await client(server.host).c.putManifest('team/web', 'v1', manifest);
    const put = server.requests[0]!;
    expect([put.method, put.path, put.headers['content-type']]).toEqual(['PUT', '/v2/team/web/manifests/v1', manifest.mediaType]);
    expect(put.body.equals(manifest.bytes)).toBe(true);
  });

  it('rejects a put the registry stored under another digest', async () => {
    const other = sha256Digest('rewritten');
    const server = await startServer(() => ({ status: 201, headers: { 'docker-content-digest': other } }));
    await expect(client(server.host).c.putManifest('team/web', 'v1', manifest)).rejects.toMatchObject({
      code: 'E_DIGEST_MISMATCH',
      message: `${server.host} stored team/web:v1 as ${other}, but multiarch sent ${manifest.digest}`,
      hint: 'the registry rewrote the manifest; it may not support this manifest format (try format: "docker")',
    });
  });

  it('reads a manifest by tag or digest, has nothing for a 404, and refuses content that does not match the digest asked for', async () => {
    const server = await startServer((req) => (req.path.endsWith('/missing') ? { status: 404, body: '{"errors":[{"code":"MANIFEST_UNKNOWN"}]}' } : okManifest));
    const { c } = client(server.host);
    expect((await c.getManifest('team/web', manifest.digest))?.bytes.equals(manifest.bytes)).toBe(true);
    expect(await c.getManifest('team/web', 'missing')).toBeUndefined();
    expect(await c.headManifest('team/web', 'missing')).toBeUndefined();
    const wrong = sha256Digest('something else');
    await expect(c.getManifest('team/web', wrong)).rejects.toMatchObject({
      code: 'E_DIGEST_MISMATCH',
      message: `${server.host}/team/web@${wrong} returned content with digest ${manifest.digest}`,
    });
  });

  it('refuses a manifest whose Docker-Content-Digest is not its content’s digest', async () => {
    const claimed = sha256Digest('something else');
    const server = await startServer(() => ({ ...okManifest, headers: { ...okManifest.headers, 'docker-content-digest': claimed } }));
    await expect(client(server.host).c.getManifest('team/web', 'v1')).rejects.toMatchObject({
      code: 'E_DIGEST_MISMATCH',
      message: `${server.host}/team/web:v1 says Docker-Content-Digest ${claimed}, but its content is ${manifest.digest}`,
    });
  });

  it('HEAD gives the descriptor from the headers', async () => {
    const server = await startServer(() => ({ ...okManifest, headers: { ...okManifest.headers, 'content-length': String(manifest.size) } }));
    expect(await client(server.host).c.headManifest('team/web', 'v1')).toEqual({ mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.size });
    expect(server.requests[0]!.method).toBe('HEAD');
  });
});

describe('RegistryClient: blobs', () => {
  const layer = Buffer.from('a layer, gzip in real life');
  const digest = sha256Digest(layer);

  it('mount: 201 means mounted', async () => {
    const server = await startServer(() => ({ status: 201 }));
    expect(await client(server.host).c.mountBlob('team/web', digest, 'team/base')).toBe(true);
    const post = server.requests[0]!;
    expect([post.method, post.path, post.query.get('mount'), post.query.get('from')]).toEqual(['POST', '/v2/team/web/blobs/uploads/', digest, 'team/base']);
  });

  it('mount: 202 means declined, and the upload session it opened is deleted', async () => {
    const server = await startServer((req) =>
      req.method === 'POST' ? { status: 202, headers: { location: '/v2/team/web/blobs/uploads/3b9e6c?_state=abc' } } : { status: 204 },
    );
    expect(await client(server.host).c.mountBlob('team/web', digest, 'team/base')).toBe(false);
    expect(server.requests.map((r) => [r.method, r.path, r.query.get('_state')])).toEqual([
      ['POST', '/v2/team/web/blobs/uploads/', null],
      ['DELETE', '/v2/team/web/blobs/uploads/3b9e6c', 'abc'],
    ]);
  });

  it('mount: anything else is an error', async () => {
    const server = await startServer(() => ({ status: 404 }));
    await expect(client(server.host).c.mountBlob('team/web', digest, 'team/base')).rejects.toMatchObject({
      code: 'E_REGISTRY',
      message: `mount ${digest} from team/base into team/web on ${server.host}: HTTP 404`,
    });
  });

  it('upload: POST for a session, then PUT the bytes to the relative Location with digest= added to its query', async () => {
    const server = await startServer((req): Answer =>
      req.method === 'POST'
        ? { status: 202, headers: { location: '/v2/team/web/blobs/uploads/5f2a?_state=xyz' } }
        : { status: 201, headers: { 'docker-content-digest': sha256Digest(req.body) } },
    );
    await client(server.host).c.uploadBlob('team/web', digest, layer.length, () => layer);
    const [post, put] = server.requests;
    expect([post!.method, post!.path]).toEqual(['POST', '/v2/team/web/blobs/uploads/']);
    expect([put!.method, put!.path, put!.query.get('_state'), put!.query.get('digest')]).toEqual(['PUT', '/v2/team/web/blobs/uploads/5f2a', 'xyz', digest]);
    expect(put!.headers['content-type']).toBe('application/octet-stream');
    expect(put!.headers['content-length']).toBe(String(layer.length));
    expect(put!.body.equals(layer)).toBe(true);
  });

  it('upload: an absolute Location without a query, and a streamed body', async () => {
    let host = '';
    const server = await startServer((req) =>
      req.method === 'POST'
        ? { status: 202, headers: { location: `http://${host}/v2/team/web/blobs/uploads/77` } }
        : { status: 201 },
    );
    host = server.host;
    async function* body() {
      yield layer.subarray(0, 5);
      yield layer.subarray(5);
    }
    await client(server.host).c.uploadBlob('team/web', digest, layer.length, body);
    const put = server.requests[1]!;
    expect([put.path, [...put.query.keys()]]).toEqual(['/v2/team/web/blobs/uploads/77', ['digest']]);
    expect(put.body.equals(layer)).toBe(true);
  });

  it('upload: the registry storing another digest is a mismatch', async () => {
    const server = await startServer((req): Answer =>
      req.method === 'POST' ? { status: 202, headers: { location: '/v2/team/web/blobs/uploads/1' } } : { status: 201, headers: { 'docker-content-digest': sha256Digest('x') } },
    );
    await expect(client(server.host).c.uploadBlob('team/web', digest, layer.length, () => layer)).rejects.toMatchObject({ code: 'E_DIGEST_MISMATCH' });
  });

  it('reads a blob and checks it against its digest', async () => {
    const server = await startServer((req) => ({ status: 200, body: req.path.endsWith(digest) ? layer : Buffer.from('tampered') }));
    const { c } = client(server.host);
    expect((await c.getBlob('team/web', digest)).equals(layer)).toBe(true);
    const other = sha256Digest('other');
    await expect(c.getBlob('team/web', other)).rejects.toMatchObject({ code: 'E_DIGEST_MISMATCH' });
  });

  it('hasBlob: 404 is false, other errors throw', async () => {
    const server = await startServer((req) => ({ status: req.path.endsWith(digest) ? 404 : 403 }));
    const { c } = client(server.host, { attempts: 1 });
    expect(await c.hasBlob('team/web', digest)).toBe(false);
    await expect(c.hasBlob('team/web', sha256Digest('y'))).rejects.toMatchObject({ code: 'E_REGISTRY_AUTH' });
  });
});
