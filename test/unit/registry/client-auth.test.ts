import { beforeEach, describe, expect, it } from 'vitest';
import { sha256Digest } from '../../../src/image/descriptor.js';
import { MANIFEST_ACCEPT } from '../../../src/image/media-types.js';
import { clearSecrets, redact } from '../../../src/sys/redact.js';
import { client, login, manifest, okManifest } from './client-fixtures.js';
import { basicHeader, startServer, type Answer, type Recorded } from './http-double.js';

beforeEach(() => clearSecrets());

/** A registry that wants Basic auth for everything under /v2/. */
const basicOnly = (inner: (req: Recorded) => Answer) => (req: Recorded): Answer =>
  req.headers.authorization === basicHeader('ci-bot', 'pushing-secret')
    ? inner(req)
    : { status: 401, headers: { 'www-authenticate': 'Basic realm="Registry Realm"' }, body: '{"errors":[{"code":"UNAUTHORIZED"}]}' };

describe('RegistryClient: Basic auth', () => {
  it('answers a Basic challenge with the stored login and keeps using it', async () => {
    const server = await startServer(basicOnly(() => okManifest));
    const { c, loads } = client(server.host, { credential: login });
    const got = await c.getManifest('team/web', 'v1');
    expect(got).toEqual({ bytes: manifest.bytes, digest: manifest.digest, size: manifest.size, mediaType: manifest.mediaType });
    expect(server.requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
      ['GET', '/v2/team/web/manifests/v1', undefined],
      ['GET', '/v2/team/web/manifests/v1', basicHeader('ci-bot', 'pushing-secret')],
    ]);
    expect(server.requests[0]!.headers.accept).toBe(MANIFEST_ACCEPT);
    expect(server.requests[0]!.headers['user-agent']).toBe('multiarch');
    expect(await c.hasBlob('team/web', sha256Digest('layer'))).toBe(true);
    // No second challenge, and the login was read once.
    expect(server.requests).toHaveLength(3);
    expect(server.requests[2]!.headers.authorization).toBe(basicHeader('ci-bot', 'pushing-secret'));
    expect(loads()).toBe(1);
    expect(redact(`sent ${basicHeader('ci-bot', 'pushing-secret')}`)).not.toContain(basicHeader('ci-bot', 'pushing-secret').slice(6));
  });

  it('without a stored login: E_REGISTRY_AUTH that says to docker login', async () => {
    const server = await startServer(basicOnly(() => okManifest));
    const { c } = client(server.host);
    await expect(c.getManifest('team/web', 'v1')).rejects.toMatchObject({
      code: 'E_REGISTRY_AUTH',
      message: `${server.host} requires a login and none is stored for it`,
      hint: `run \`docker login ${server.host}\` (multiarch reads the same credentials)`,
    });
  });

  it('with a wrong login: the second 401 becomes an auth error with the docker login hint', async () => {
    const server = await startServer(basicOnly(() => okManifest));
    const { c } = client(server.host, { credential: { ...login, password: 'wrong-password' } });
    const error = await c.getManifest('team/web', 'v1').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_REGISTRY_AUTH', message: `GET manifest team/web:v1 on ${server.host}: HTTP 401 (UNAUTHORIZED)` });
    expect((error as { hint: string }).hint).toContain(`docker login ${server.host}`);
    expect(server.requests).toHaveLength(2);
  });
});

describe('RegistryClient: Bearer tokens', () => {
  /** A registry with a token service at /token: tokens are `token-for <scopes>`. */
  async function bearerRegistry(options: { tokenStatus?: number } = {}) {
    const server = await startServer((req) => {
      if (req.path === '/token') {
        if (options.tokenStatus) return { status: options.tokenStatus, body: '{"details":"incorrect username or password"}' };
        const scopes = req.method === 'POST' ? new URLSearchParams(req.body.toString()).getAll('scope') : req.query.getAll('scope');
        return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: `token-for ${scopes.join(' ')}`.replace(/ /g, '_') }) };
      }
      const repo = /^\/v2\/(.+?)\/(manifests|blobs)\//.exec(req.path)?.[1];
      const scope = req.method === 'GET' || req.method === 'HEAD' ? `repository:${repo}:pull` : `repository:${repo}:pull,push`;
      const auth = req.headers.authorization ?? '';
      if (!auth.startsWith('Bearer token-for_') || !auth.includes(scope)) {
        return {
          status: 401,
          headers: { 'www-authenticate': `Bearer realm="http://${server.host}/token",service="test-registry",scope="${scope}"` },
          body: '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}',
        };
      }
      if (req.method === 'PUT') return { status: 201, headers: { 'docker-content-digest': sha256Digest(req.body) } };
      if (req.method === 'POST') return { status: 201 };
      return okManifest;
    });
    return server;
  }

  it('fetches a token for the request’s scope with the login, and reuses it for that scope', async () => {
    const server = await bearerRegistry();
    const { c } = client(server.host, { credential: login });
    await c.headManifest('team/web', 'v1');
    await c.getManifest('team/web', 'v1');
    await c.hasBlob('team/web', sha256Digest('layer'));
    expect(server.tokenRequests()).toHaveLength(1);
    const token = server.tokenRequests()[0]!;
    expect(token.method).toBe('GET');
    expect(token.query.get('service')).toBe('test-registry');
    expect(token.query.getAll('scope')).toEqual(['repository:team/web:pull']);
    expect(token.headers.authorization).toBe(basicHeader('ci-bot', 'pushing-secret'));
    // One 401, then every request carries the token.
    expect(server.api().map((r) => r.headers.authorization ?? 'none')).toEqual([
      'none',
      'Bearer token-for_repository:team/web:pull',
      'Bearer token-for_repository:team/web:pull',
      'Bearer token-for_repository:team/web:pull',
    ]);
    expect(redact('token-for_repository:team/web:pull')).toBe('***');
  });

  it('asks for a new token when a request needs another scope (push, or a mount from another repository)', async () => {
    const server = await bearerRegistry();
    const { c } = client(server.host, { credential: login });
    await c.putManifest('team/web', 'v1', manifest);
    await c.putManifest('team/web', manifest.digest, manifest);
    await c.mountBlob('team/web', sha256Digest('layer'), 'team/base');
    expect(server.tokenRequests().map((r) => r.query.getAll('scope'))).toEqual([
      ['repository:team/web:pull,push'],
      ['repository:team/web:pull,push', 'repository:team/base:pull'],
    ]);
  });

  it('exchanges an identity token with a POST refresh_token grant', async () => {
    const server = await bearerRegistry();
    const { c } = client(server.host, { credential: { kind: 'identity-token', token: 'refresh-me-please', source: 'test' } });
    await c.headManifest('team/web', 'v1');
    const token = server.tokenRequests()[0]!;
    expect(token.method).toBe('POST');
    const form = new URLSearchParams(token.body.toString());
    expect(Object.fromEntries(form)).toEqual({
      service: 'test-registry',
      scope: 'repository:team/web:pull',
      grant_type: 'refresh_token',
      refresh_token: 'refresh-me-please',
      client_id: 'multiarch',
    });
    expect(token.headers.authorization).toBeUndefined();
  });

  it('asks for an anonymous token without a login', async () => {
    const server = await bearerRegistry();
    const { c } = client(server.host);
    await c.headManifest('library/alpine', '3.20');
    expect(server.tokenRequests()[0]!.headers.authorization).toBeUndefined();
  });

  it('a refused token: E_REGISTRY_AUTH naming where the login came from, or saying to log in', async () => {
    const server = await bearerRegistry({ tokenStatus: 401 });
    await expect(client(server.host, { credential: login }).c.headManifest('team/web', 'v1')).rejects.toMatchObject({
      code: 'E_REGISTRY_AUTH',
      message: `${server.host} refused a token (HTTP 401) for the login from test`,
      hint: `the stored login may be wrong or expired: \`docker login ${server.host}\``,
    });
    await expect(client(server.host).c.headManifest('team/web', 'v1')).rejects.toMatchObject({
      code: 'E_REGISTRY_AUTH',
      message: `${server.host} refused a token (HTTP 401) without a login`,
      hint: `run \`docker login ${server.host}\``,
    });
  });

  it('a Bearer challenge without a realm, or a token answer without a token', async () => {
    const noRealm = await startServer(() => ({ status: 401, headers: { 'www-authenticate': 'Bearer service="x"' } }));
    await expect(client(noRealm.host).c.hasBlob('a/b', sha256Digest('x'))).rejects.toMatchObject({
      code: 'E_REGISTRY_AUTH',
      message: `${noRealm.host} sent a Bearer challenge without a realm`,
    });
    const empty = await startServer((req) =>
      req.path === '/token' ? { status: 200, body: '{}' } : { status: 401, headers: { 'www-authenticate': `Bearer realm="http://${empty.host}/token"` } },
    );
    await expect(client(empty.host).c.hasBlob('a/b', sha256Digest('x'))).rejects.toMatchObject({
      code: 'E_REGISTRY_AUTH',
      message: `${empty.host}'s token service answered without a token`,
    });
  });
});

