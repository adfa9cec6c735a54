import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../../src/registry/client.js';
import { registryFetch } from '../../../src/registry/http-transport.js';
import { closedPort, startServer } from './http-double.js';

/** A server whose handler writes its answer by hand (streamed, held open), counting connections. */
const raw: http.Server[] = [];
afterAll(() => raw.splice(0).forEach((s) => (s.closeAllConnections(), s.close())));
async function rawServer(handler: http.RequestListener) {
  const server = http.createServer(handler);
  let connections = 0;
  server.on('connection', () => connections++);
  raw.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections };
}

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<string> {
  let text = '';
  for await (const chunk of body) text += Buffer.from(chunk).toString();
  return text;
}

describe('registryFetch: node:http with fetch’s semantics', () => {
  it('streams a GET body as it arrives, readable once, over one kept-alive connection', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const server = await rawServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-two': 'b' });
      res.write('first;');
      void held.then(() => res.end('rest'));
    });
    const res = await registryFetch(`http://${server.host}/v2/team/web/blobs/sha256:x`);
    expect([res.status, res.ok, res.statusText, res.redirected, res.headers.get('Content-Type'), res.headers.get('missing'), res.headers.has('X-Two')]).toEqual([200, true, 'OK', false, 'application/octet-stream', null, true]);
    const iterator = res.body![Symbol.asyncIterator]();
    // The first chunk comes while the server still holds the rest: nothing waits for the whole body.
    expect(Buffer.from((await iterator.next()).value as Uint8Array).toString()).toBe('first;');
    release();
    let rest = '';
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) rest += Buffer.from(r.value).toString();
    expect(rest).toBe('rest');
    expect(res.bodyUsed).toBe(true);
    await expect(res.text()).rejects.toThrow(TypeError);

    const again = await registryFetch(`http://${server.host}/v2/`);
    expect(await again.text()).toBe('first;rest');
    expect(server.connections()).toBe(1);
  });

  it('reads text, json and bytes; a HEAD and a 204 have no body', async () => {
    const server = await startServer((r) => (r.path === '/empty' ? { status: 204 } : { status: 200, headers: { 'content-type': 'application/json' }, body: '{"token":"t"}' }));
    expect(await (await registryFetch(`http://${server.host}/j`)).json()).toEqual({ token: 't' });
    expect(Buffer.from(await (await registryFetch(`http://${server.host}/j`)).arrayBuffer()).toString()).toBe('{"token":"t"}');
    const head = await registryFetch(`http://${server.host}/j`, { method: 'HEAD' });
    expect([head.status, head.body, await head.text()]).toEqual([200, null, '']);
    const empty = await registryFetch(`http://${server.host}/empty`, { method: 'DELETE' });
    expect([empty.status, empty.body]).toEqual([204, null]);
  });

  it('sends a streamed PUT with its Content-Length, a PATCH from a web stream chunked, and a bodiless POST as length 0', async () => {
    const server = await startServer(() => ({ status: 201 }));
    await registryFetch(`http://${server.host}/v2/put`, { method: 'PUT', headers: { 'Content-Length': '10' }, body: chunks('01234', '56789') });
    const web = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(Buffer.from('ab'));
        controller.enqueue(Buffer.from('cd'));
        controller.close();
      },
    });
    // Node's web streams are async iterables (its types do not say so).
    await registryFetch(`http://${server.host}/v2/patch`, { method: 'PATCH', body: web as unknown as AsyncIterable<Uint8Array> });
    await registryFetch(`http://${server.host}/v2/post`, { method: 'POST' });
    const [put, patch, post] = server.requests;
    expect([put!.method, put!.body.toString(), put!.headers['content-length'], put!.headers['transfer-encoding']]).toEqual(['PUT', '0123456789', '10', undefined]);
    expect([patch!.method, patch!.body.toString(), patch!.headers['transfer-encoding']]).toEqual(['PATCH', 'abcd', 'chunked']);
    expect([post!.method, post!.headers['content-length']]).toEqual(['POST', '0']);
  });

  it('fails the request when its body stream fails, as fetch does', async () => {
    const server = await startServer(() => ({ status: 201 }));
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('part');
      throw new Error('disk gone');
    }
    await expect(registryFetch(`http://${server.host}/v2/put`, { method: 'PUT', body: broken() })).rejects.toMatchObject({
      name: 'TypeError',
      message: 'fetch failed',
      cause: expect.objectContaining({ message: 'disk gone' }),
    });
  });

  it('posts a form (a token request) with its content type and length', async () => {
    const server = await startServer(() => ({ status: 200, body: '{"access_token":"a"}' }));
    const form = new URLSearchParams({ grant_type: 'refresh_token', service: 'reg' });
    form.append('scope', 'repository:team/web:pull,push');
    const res = await registryFetch(`http://${server.host}/token`, { method: 'POST', body: form });
    expect(await res.json()).toEqual({ access_token: 'a' });
    const [req] = server.requests;
    expect(req!.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(Number(req!.headers['content-length'])).toBe(req!.body.length);
    expect(new URLSearchParams(req!.body.toString()).getAll('scope')).toEqual(['repository:team/web:pull,push']);
  });

  it('follows a redirect on the same origin with Authorization, and to another origin without it', async () => {
    const storage = await startServer(() => ({ status: 200, body: 'blob bytes' }));
    const registry = await startServer((r) =>
      r.path === '/v2/a' ? { status: 307, headers: { location: '/v2/b' } } : { status: 302, headers: { location: `http://${storage.host}/bucket/b?sig=1` } },
    );
    const res = await registryFetch(`http://${registry.host}/v2/a`, { headers: { Authorization: 'Bearer secret', 'User-Agent': 'multiarch' } });
    expect([res.status, await res.text(), res.redirected, res.url]).toEqual([200, 'blob bytes', true, `http://${storage.host}/bucket/b?sig=1`]);
    expect(registry.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/v2/a', 'Bearer secret'],
      ['/v2/b', 'Bearer secret'],
    ]);
    expect([storage.requests[0]!.headers.authorization, storage.requests[0]!.headers['user-agent']]).toEqual([undefined, 'multiarch']);
  });

  it('turns a 303 into a GET without the body; a 307 sends the same bytes again', async () => {
    const server = await startServer((r) =>
      r.path === '/see-other' ? { status: 303, headers: { location: '/done' } } : r.path === '/temporary' ? { status: 307, headers: { location: '/done' } } : { status: 200, body: r.method },
    );
    const res = await registryFetch(`http://${server.host}/see-other`, { method: 'PUT', headers: { 'Content-Type': 'x/y' }, body: Buffer.from('payload') });
    expect(await res.text()).toBe('GET');
    const followed = server.requests[1]!;
    expect([followed.method, followed.body.length, followed.headers['content-type'], followed.headers['content-length']]).toEqual(['GET', 0, undefined, undefined]);

    await registryFetch(`http://${server.host}/temporary`, { method: 'PUT', body: Buffer.from('payload') });
    expect(server.requests.slice(2).map((r) => [r.method, r.path, r.body.toString()])).toEqual([
      ['PUT', '/temporary', 'payload'],
      ['PUT', '/done', 'payload'],
    ]);
  });

  it('cannot follow a 307 with a streamed body, which it sent already', async () => {
    const server = await startServer(() => ({ status: 307, headers: { location: '/elsewhere' } }));
    await expect(registryFetch(`http://${server.host}/up`, { method: 'PATCH', body: chunks('abc') })).rejects.toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    expect(server.requests.map((r) => r.path)).toEqual(['/up']);
  });

  it('answers the redirect itself with redirect: manual', async () => {
    const server = await startServer(() => ({ status: 302, headers: { location: '/there' }, body: 'moved' }));
    const res = await registryFetch(`http://${server.host}/here`, { redirect: 'manual' });
    expect([res.status, res.ok, res.headers.get('location'), res.redirected, await res.text()]).toEqual([302, false, '/there', false, 'moved']);
    expect(server.requests).toHaveLength(1);
  });

  it('decodes a gzip answer nobody asked for, as fetch would', async () => {
    const server = await rawServer((req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(zlib.gzipSync('{"token":"z"}'));
    });
    const res = await registryFetch(`http://${server.host}/token`);
    expect(await res.json()).toEqual({ token: 'z' });
  });

  it('rejects with the signal’s reason: aborted before, while waiting, and while reading the body; and on a timeout', async () => {
    const hang = await startServer(() => ({ status: 0, hang: true }));
    const before = new AbortController();
    before.abort(new Error('stop now'));
    await expect(registryFetch(`http://${hang.host}/x`, { signal: before.signal })).rejects.toThrow('stop now');
    expect(hang.requests).toHaveLength(0);

    const waiting = new AbortController();
    const pending = registryFetch(`http://${hang.host}/x`, { signal: waiting.signal });
    setTimeout(() => waiting.abort(new Error('canceled while waiting')), 30);
    await expect(pending).rejects.toThrow('canceled while waiting');

    await expect(registryFetch(`http://${hang.host}/x`, { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({ name: 'TimeoutError' });

    const trickle = await rawServer((req, res) => {
      res.writeHead(200);
      res.write('start');
    });
    const reading = new AbortController();
    const res = await registryFetch(`http://${trickle.host}/blob`, { signal: reading.signal });
    const read = readAll(res.body!);
    setTimeout(() => reading.abort(new Error('canceled while reading')), 30);
    await expect(read).rejects.toThrow('canceled while reading');
  });

  it('fails like fetch when nothing listens: TypeError with the socket error as cause', async () => {
    const port = await closedPort();
    await expect(registryFetch(`http://127.0.0.1:${port}/v2/`)).rejects.toMatchObject({
      name: 'TypeError',
      message: 'fetch failed',
      cause: expect.objectContaining({ code: 'ECONNREFUSED' }),
    });
  });

  it('a body cut off midway fails its reader (terminated)', async () => {
    const server = await rawServer((req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('only part', () => setTimeout(() => req.socket.destroy(), 10));
    });
    const res = await registryFetch(`http://${server.host}/blob`);
    await expect(res.arrayBuffer()).rejects.toMatchObject({ name: 'TypeError', message: 'terminated' });
  });

  it('lets the client’s idle timer cut a body that stops arriving', async () => {
    const server = await rawServer((req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('a few bytes');
    });
    const c = new RegistryClient({ endpoint: { host: server.host, apiHost: server.host, scheme: 'http' }, attempts: 1, idleTimeoutMs: 100 });
    await expect(c.getBlob('team/web', 'sha256:x')).rejects.toThrow('no data moved for 0.1s');
  });

  it('never loads undici (fetch’s first use costs a short run 50–150 ms of CPU)', async () => {
    const root = path.resolve(import.meta.dirname, '../../..');
    // A fresh Node process: the client's manifest GET, a streamed upload and a blob stream, then
    // the modules Node loaded.
    const script = `
      import http from 'node:http';
      import { createJiti } from 'jiti';
      const { RegistryClient } = await createJiti(import.meta.url).import('./src/registry/client.ts');
      const server = http.createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          if (req.method === 'POST') return res.writeHead(202, { location: '/v2/r/blobs/uploads/1' }).end();
          if (req.method === 'PUT') return res.writeHead(201).end();
          res.writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json' }).end('{}');
        });
      });
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      const host = '127.0.0.1:' + server.address().port;
      const c = new RegistryClient({ endpoint: { host, apiHost: host, scheme: 'http' } });
      await c.getManifest('r', 'v1');
      await c.uploadBlob('r', 'sha256:x', 3, () => (async function* () { yield Buffer.from('abc'); })());
      for await (const _ of c.streamBlob('r', 'sha256:x')) {}
      server.close();
      console.log(JSON.stringify(process.moduleLoadList.filter((m) => /undici/.test(m))));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
    expect(JSON.parse(stdout)).toEqual([]);
  });
});
