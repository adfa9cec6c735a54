import { describe, expect, it } from 'vitest';
import { RegistryClient } from '../../../src/registry/client.js';
import { registryFetch } from '../../../src/registry/head-request.js';
import { manifest } from './client-fixtures.js';
import { startServer } from './http-double.js';

const descriptorHeaders = { 'content-type': manifest.mediaType, 'docker-content-digest': manifest.digest, 'content-length': String(manifest.size) };

describe('registryFetch: HEAD over node:http', () => {
  it('answers status and headers the way fetch does, with no body', async () => {
    const server = await startServer(() => ({ status: 200, headers: descriptorHeaders }));
    const res = await registryFetch(`http://${server.host}/v2/team/web/manifests/v1`, { method: 'HEAD', headers: { Accept: 'x/y' } });
    expect([res.status, res.ok, res.body, res.headers.get('Docker-Content-Digest'), res.headers.get('missing')]).toEqual([200, true, null, manifest.digest, null]);
    expect(server.requests[0]).toMatchObject({ method: 'HEAD', path: '/v2/team/web/manifests/v1', headers: expect.objectContaining({ accept: 'x/y' }) });
  });

  it('leaves a redirect to fetch, which follows it', async () => {
    const server = await startServer((r) => (r.path.endsWith('/v1') ? { status: 307, headers: { location: '/v2/team/web/manifests/moved' } } : { status: 200, headers: descriptorHeaders }));
    const c = new RegistryClient({ endpoint: { host: server.host, apiHost: server.host, scheme: 'http' }, attempts: 1 });
    expect(await c.headManifest('team/web', 'v1')).toEqual({ mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.size });
    expect(server.requests.map((r) => r.path)).toEqual(['/v2/team/web/manifests/v1', '/v2/team/web/manifests/v1', '/v2/team/web/manifests/moved']);
  });

  it('abandons a HEAD that stalls as the idle timeout says', async () => {
    const server = await startServer(() => ({ status: 0, hang: true }));
    const c = new RegistryClient({ endpoint: { host: server.host, apiHost: server.host, scheme: 'http' }, attempts: 1, idleTimeoutMs: 100 });
    await expect(c.headManifest('team/web', 'v1')).rejects.toMatchObject({ code: 'E_REGISTRY_UNREACHABLE', message: expect.stringContaining('stalled') });
  });
});
