/**
 * OCI 1.1 referrers, written for real: the real registry stores every manifest, and a small proxy
 * in front of it answers the referrers API as a registry implementing it does (distribution 2.8
 * alone answers 404). Through it, apply writes each .sig/.att also as a referrer of the digest it
 * signs — the tag layout stays — and a second apply writes nothing. Through a proxy that passes
 * the registry's 404 on, support is asked once and only tags are written.
 */
import { describe, expect, it } from 'vitest';
import { multiarch } from './support/cli.js';
import { getManifest, sigTag, verifiedSignature } from './support/cosign-registry.js';
import { testEnv } from './support/env.js';
import { startReferrersProxy } from './support/referrers-proxy.js';
import { signingProject } from './support/supply-fixture.js';

const images = (repo: string) => `{ web: { context: './web', platforms: ['linux/amd64', 'linux/arm64'], tags: ['v1'], publish: [{ registry: 'local', repository: '${repo}' }] } }`;
const referrersGets = (log: Array<{ method: string; path: string }>) => log.filter((e) => e.method === 'GET' && e.path.includes('/referrers/')).length;
const manifestPuts = (log: Array<{ method: string; path: string }>) => log.filter((e) => e.method === 'PUT' && e.path.includes('/manifests/')).length;

describe('OCI 1.1 referrers', () => {
  it('where the registry has the API, every .sig and .att is also a referrer of its digest; once', async () => {
    const { registry } = testEnv();
    const proxy = await startReferrersProxy(registry, true);
    try {
      const repo = `e2e/supply16-referrers-${Date.now()}/web`;
      const { dir, pub, env } = signingProject('{ provenance: true }', images(repo), proxy.host);
      const apply = await multiarch(['apply'], { cwd: dir, env });
      expect(apply.exitCode, apply.all).toBe(0);

      const index = (await getManifest(registry, repo, 'v1'))!;
      const children = index.json.manifests!.map((m) => m.digest);
      for (const [digest, kinds] of [[index.digest, ['sig']], ...children.map((c) => [c, ['sig', 'att']] as const)] as const) {
        await verifiedSignature(registry, repo, digest, pub); // the tag layout, as before
        // What the API lists (through the proxy), each manifest read from the real registry.
        const res = await fetch(`http://${proxy.host}/v2/${repo}/referrers/${digest}`);
        const listed = (await res.json()) as { manifests: Array<{ digest: string; artifactType: string }> };
        expect(listed.manifests.map((m) => m.artifactType).sort()).toEqual(kinds.map((k) => `application/vnd.dev.cosign.artifact.${k}.v1+json`).sort());
        for (const kind of kinds) {
          const entry = listed.manifests.find((m) => m.artifactType.includes(`.${kind}.`))!;
          const referrer = (await getManifest(registry, repo, entry.digest))!;
          const doc = referrer.json as { subject?: { digest: string }; layers?: unknown[]; config?: { mediaType: string } };
          expect(doc.subject?.digest).toBe(digest);
          expect(doc.config?.mediaType).toBe('application/vnd.oci.empty.v1+json');
          // The very layers of the tag manifest: the same signature, the same attestations.
          expect(doc.layers).toEqual((await getManifest(registry, repo, sigTag(digest, kind)))!.json.layers);
        }
      }

      // A second apply reads the referrers and writes nothing: not a tag, not a referrer.
      const before = manifestPuts(proxy.log);
      const again = await multiarch(['apply'], { cwd: dir, env });
      expect(again.exitCode, again.all).toBe(0);
      expect(manifestPuts(proxy.log)).toBe(before);
      expect(again.all).toContain('signature and attestations verified');
    } finally {
      await proxy.close();
    }
  }, 600_000);

  it('where it answers 404 (distribution 2.8), support is asked once and only the tags are written', async () => {
    const { registry } = testEnv();
    const proxy = await startReferrersProxy(registry, false);
    try {
      const repo = `e2e/supply16-noreferrers-${Date.now()}/web`;
      const { dir, pub, env } = signingProject('{ provenance: true }', images(repo), proxy.host);
      const apply = await multiarch(['apply'], { cwd: dir, env });
      expect(apply.exitCode, apply.all).toBe(0);
      expect(referrersGets(proxy.log)).toBe(1);
      expect(proxy.log.find((e) => e.path.includes('/referrers/'))!.status).toBe(404);
      expect(proxy.referrers.size).toBe(0);
      const index = (await getManifest(registry, repo, 'v1'))!;
      for (const digest of [index.digest, ...index.json.manifests!.map((m) => m.digest)]) await verifiedSignature(registry, repo, digest, pub);
    } finally {
      await proxy.close();
    }
  }, 600_000);
});
