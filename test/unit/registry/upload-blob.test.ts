import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Digest } from '../../../src/image/descriptor.js';
import { RegistryClient } from '../../../src/registry/client.js';
import { rangeEnd } from '../../../src/registry/upload-blob.js';
import { fakeRegistry, withFaults } from './fake-registry.js';
import { startServer, type Recorded } from './http-double.js';

const layer = randomBytes(10_000);
const digest = sha256Digest(layer);
const open = (start: number, end: number) => layer.subarray(start, end);

function clientFor(host: string, options: { chunkSize?: number; idleTimeoutMs?: number; attempts?: number } = {}) {
  return new RegistryClient({ endpoint: { host, apiHost: host, scheme: 'http' }, baseDelayMs: 1, attempts: options.attempts ?? 4, chunkSize: options.chunkSize ?? 1_000_000, ...options });
}

const calls = (requests: Recorded[]) => requests.map((r) => `${r.method} ${r.path.replace(/.*\/blobs\/uploads\/?/, 'uploads/')}${r.headers['content-range'] ? ` ${r.headers['content-range']}` : ''}`);

describe('uploadBlob', () => {
  it('sends a small blob in one PUT with its digest', async () => {
    const fake = fakeRegistry();
    const server = await startServer(fake.route);
    const result = await clientFor(server.host).uploadBlob('team/web', digest, layer.length, open);
    expect(result).toEqual({ chunked: false, sessions: 1, resumes: 0 });
    expect(calls(server.requests)).toEqual(['POST uploads/', 'PUT uploads/s1']);
    expect(server.requests[1]!.query.get('digest')).toBe(digest);
    expect(fake.blobs.get(digest)?.equals(layer)).toBe(true);
  });

  it('sends chunks with Content-Range when the blob is larger than the chunk size, closing with an empty PUT', async () => {
    const fake = fakeRegistry();
    const server = await startServer(fake.route);
    const result = await clientFor(server.host, { chunkSize: 4000 }).uploadBlob('team/web', digest, layer.length, open);
    expect(result.chunked).toBe(true);
    expect(calls(server.requests)).toEqual(['POST uploads/', 'PATCH uploads/s1 0-3999', 'PATCH uploads/s1 4000-7999', 'PATCH uploads/s1 8000-9999', 'PUT uploads/s1']);
    expect(server.requests.at(-1)!.body).toHaveLength(0);
    expect(server.requests.at(-1)!.headers['content-length']).toBe('0');
    expect(fake.blobs.get(digest)?.equals(layer)).toBe(true);
  });

  it('uses chunks of at least OCI-Chunk-Min-Length when the registry asks for chunks', async () => {
    const fake = fakeRegistry();
    fake.sessionHeaders['oci-chunk-min-length'] = '6000';
    const server = await startServer(fake.route);
    await clientFor(server.host, { chunkSize: 1000 }).uploadBlob('team/web', digest, layer.length, open);
    expect(calls(server.requests)).toEqual(['POST uploads/', 'PATCH uploads/s1 0-5999', 'PATCH uploads/s1 6000-9999', 'PUT uploads/s1']);
  });

  it('resumes a broken chunk where the registry says it got to', async () => {
    const fake = fakeRegistry();
    const route = withFaults(fake.route, (r) => r.method === 'PATCH', (_r, n) => (n === 2 ? { status: 503 } : n === 3 ? { status: 0, reset: true } : undefined));
    const server = await startServer(route);
    const result = await clientFor(server.host, { chunkSize: 4000 }).uploadBlob('team/web', digest, layer.length, open);
    expect(result).toEqual({ chunked: true, sessions: 1, resumes: 2 });
    expect(calls(server.requests)).toEqual([
      'POST uploads/',
      'PATCH uploads/s1 0-3999',
      'PATCH uploads/s1 4000-7999',
      'GET uploads/s1',
      'PATCH uploads/s1 4000-7999',
      'GET uploads/s1',
      'PATCH uploads/s1 4000-7999',
      'PATCH uploads/s1 8000-9999',
      'PUT uploads/s1',
    ]);
    expect(fake.blobs.get(digest)?.equals(layer)).toBe(true);
  });

  it('starts a new session when a whole-blob PUT breaks, and when the registry lost the session', async () => {
    const fake = fakeRegistry();
    const route = withFaults(fake.route, (r) => r.method === 'PUT', (_r, n) => (n === 1 ? { status: 0, reset: true } : n === 2 ? { status: 500 } : undefined));
    const server = await startServer(route);
    const result = await clientFor(server.host).uploadBlob('team/web', digest, layer.length, open);
    expect(result).toEqual({ chunked: false, sessions: 3, resumes: 0 });
    expect(calls(server.requests)).toEqual(['POST uploads/', 'PUT uploads/s1', 'POST uploads/', 'PUT uploads/s2', 'POST uploads/', 'PUT uploads/s3']);
  });

  it('switches to small chunks after a 413 (a proxy body limit)', async () => {
    const fake = fakeRegistry();
    const big = randomBytes(600 * 1024);
    const route = withFaults(fake.route, (r) => r.method === 'PUT' && r.body.length > 512 * 1024, () => ({ status: 413, body: '<html>413 Request Entity Too Large</html>' }));
    const server = await startServer(route);
    const result = await clientFor(server.host).uploadBlob('team/web', sha256Digest(big), big.length, (s, e) => big.subarray(s, e));
    expect(result).toMatchObject({ chunked: true, sessions: 2 });
    expect(calls(server.requests).slice(2)).toEqual(['POST uploads/', 'PATCH uploads/s2 0-524287', 'PATCH uploads/s2 524288-614399', 'PUT uploads/s2']);
  });

  it('gives up after its tries with the registry’s last answer, and does not retry a refusal', async () => {
    const fake = fakeRegistry();
    const server = await startServer(withFaults(fake.route, (r) => r.method === 'PUT', () => ({ status: 502, body: 'Bad Gateway' })));
    await expect(clientFor(server.host, { attempts: 2 }).uploadBlob('team/web', digest, layer.length, open)).rejects.toMatchObject({
      code: 'E_REGISTRY',
      message: expect.stringContaining('HTTP 502'),
    });
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
    server.setRoute(withFaults(fake.route, (r) => r.method === 'PUT', () => ({ status: 403, body: '{"errors":[{"code":"DENIED"}]}' })));
    await expect(clientFor(server.host).uploadBlob('team/web', digest, layer.length, open)).rejects.toMatchObject({ code: 'E_REGISTRY_AUTH' });
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(3);
  });

  it('abandons a stalled request after the idle timeout and tries again', async () => {
    const fake = fakeRegistry();
    const server = await startServer(withFaults(fake.route, (r) => r.method === 'PUT', (_r, n) => (n === 1 ? { status: 0, hang: true } : undefined)));
    const started = Date.now();
    const result = await clientFor(server.host, { idleTimeoutMs: 300 }).uploadBlob('team/web', digest, layer.length, open);
    expect(result.sessions).toBe(2);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports a stall that outlasts every try as such', async () => {
    const server = await startServer(() => ({ status: 0, hang: true }));
    await expect(clientFor(server.host, { idleTimeoutMs: 200, attempts: 2 }).hasBlob('team/web', digest)).rejects.toMatchObject({
      code: 'E_REGISTRY_UNREACHABLE',
      message: `HEAD /v2/team/web/blobs/${digest} on ${server.host} stalled: nothing moved for 0.2s`,
    });
    expect(server.requests).toHaveLength(2);
  });

  it('reads Range headers', () => {
    expect(rangeEnd('0-1023')).toBe(1024);
    expect(rangeEnd('bytes=0-9')).toBe(10);
    expect(rangeEnd('0-0')).toBe(0);
    expect(rangeEnd(null)).toBeUndefined();
  });
});

describe('streamBlob', () => {
  it('reads a part with a Range request, and the whole blob without one', async () => {
    const fake = fakeRegistry();
    fake.blobs.set(digest, layer);
    fake.repoBlobs.set('team/web', new Set([digest]));
    const server = await startServer(fake.route);
    const c = clientFor(server.host);
    const read = async (start: number, end?: number) => {
      const parts: Uint8Array[] = [];
      for await (const part of c.streamBlob('team/web', digest, start, end)) parts.push(part);
      return Buffer.concat(parts);
    };
    expect((await read(0)).equals(layer)).toBe(true);
    expect((await read(100, 200)).equals(layer.subarray(100, 200))).toBe(true);
    expect(server.requests.map((r) => r.headers.range)).toEqual([undefined, 'bytes=100-199']);
  });
});
