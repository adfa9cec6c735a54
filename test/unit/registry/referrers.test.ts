/**
 * The OCI 1.1 referrers API as the registry store asks it: a 200 image index lists the referrers;
 * a 404 (distribution 2.8) or an answer that is not an index means no API — decided by the
 * registry's first answer, so concurrent and later asks send no further request to it.
 */
import { describe, expect, it } from 'vitest';
import { sha256Digest } from '../../../src/image/descriptor.js';
import { RegistryStore } from '../../../src/publish/registry-store.js';
import { client } from './client-fixtures.js';
import { startServer, type Answer } from './http-double.js';

const subject = sha256Digest('image');
const store = (host: string) => new RegistryStore({ client: client(host).c, blobHomes: new Map(), inflight: new Map() });
const referrer = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256Digest('sig'), size: 10, artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json' };
const index: Answer = { status: 200, headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' }, body: JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [referrer] }) };

describe('RegistryStore.referrers', () => {
  it('lists what a registry with the API answers, asking it for each digest', async () => {
    const server = await startServer(() => index);
    const s = store(server.host);
    expect(await s.referrers('team/web', subject)).toEqual([referrer]);
    expect(await s.referrers('team/web', sha256Digest('other'))).toEqual([referrer]);
    expect(server.requests.map((r) => r.path)).toEqual([`/v2/team/web/referrers/${subject}`, `/v2/team/web/referrers/${sha256Digest('other')}`]);
  });

  it('a 404 means no API: asked once, concurrent asks wait for that answer, none after', async () => {
    const server = await startServer(() => ({ status: 404, body: '404 page not found' }));
    const s = store(server.host);
    expect(await Promise.all([s.referrers('team/web', subject), s.referrers('team/api', subject)])).toEqual([undefined, undefined]);
    expect(await s.referrers('team/web', sha256Digest('later'))).toBeUndefined();
    expect(server.requests).toHaveLength(1);
  });

  it('a 200 that is not an image index is no API either', async () => {
    const server = await startServer(() => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>registry</html>' }));
    expect(await store(server.host).referrers('team/web', subject)).toBeUndefined();
  });
});
