/**
 * Sharded CI with signing and attesting, on the real engine and registry: each shard (no key)
 * builds its platform, scans it and makes its SLSA provenance and its SPDX SBOM (the Trivy
 * stand-in replays Trivy's real SPDX JSON) from the very image it stored; the merge job, which
 * holds the key, signs every digest and attests every child with what its shard made. Checked
 * by an independent verifier: the registry's HTTP API and openssl. The plan then has nothing to
 * do (exit 0 with --detailed-exitcode), and merging again writes nothing.
 */
import { readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { multiarch } from './support/cli.js';
import { getManifest, sigTag, verifiedAttestations, verifiedSignature } from './support/cosign-registry.js';
import { testEnv } from './support/env.js';
import { filesUnder, signingProject } from './support/supply-fixture.js';

const PLATFORMS = ['linux/amd64', 'linux/arm64'] as const;
const unwrap = (text: string) => text.replace(/\s+/g, ' ');

describe('supply chain in sharded CI', () => {
  it('shards make the predicates without a key; the merge signs and attests every child (SPDX)', async () => {
    const { registry } = testEnv();
    const repo = `e2e/supply16-shards-${Date.now()}/web`;
    const { dir, pub, keyLine, env } = signingProject(
      "{ provenance: true, sbom: 'spdx' }",
      `{ web: { context: './web', platforms: ${JSON.stringify(PLATFORMS)}, tags: ['v1'], args: { TOKEN: 'hashed-not-shown' }, publish: [{ registry: 'local', repository: '${repo}' }] } }`,
    );

    const shards: string[] = [];
    const outputs: string[] = [];
    // The shard jobs get no key (in CI they hold no secret): the file is away while they run.
    renameSync(path.join(dir, 'cosign.key'), path.join(dir, 'away.key'));
    for (const platform of PLATFORMS) {
      const out = `shard-${platform.replace('/', '-')}`;
      const run = await multiarch(['apply', '--platform', platform, '--shard-out', out], { cwd: dir, env: { ...env } });
      expect(run.exitCode, run.all).toBe(0);
      expect(unwrap(run.all)).toContain('made provenance + sbom (spdx) for the merge to sign');
      outputs.push(run.all);
      shards.push(out);
      const record = JSON.parse(readFileSync(path.join(dir, out, 'multiarch-shard.json'), 'utf8')) as { images: { web: Array<{ predicates?: Record<string, string> }> } };
      expect(Object.keys(record.images.web[0]!.predicates ?? {}).sort()).toEqual(['https://slsa.dev/provenance/v1', 'https://spdx.dev/Document']);
    }
    renameSync(path.join(dir, 'away.key'), path.join(dir, 'cosign.key'));
    // Nothing reached the registry from a shard, signed or not.
    expect(await getManifest(registry, repo, 'v1')).toBeUndefined();

    const planned = await multiarch(['plan', '--merge', ...shards], { cwd: dir, env });
    expect(planned.exitCode, planned.all).toBe(0);
    expect(unwrap(planned.stdout)).toMatch(/\+ sign .*\+ attest provenance .*\+ attest sbom \(spdx\)/);

    const merge = await multiarch(['apply', '--merge', ...shards], { cwd: dir, env });
    expect(merge.exitCode, merge.all).toBe(0);
    outputs.push(merge.all);

    const index = (await getManifest(registry, repo, 'v1'))!;
    const children = index.json.manifests!.map((m) => m.digest);
    expect(children).toHaveLength(2); // the index gained no entries
    const written: Record<string, string> = { index: await verifiedSignature(registry, repo, index.digest, pub) };
    for (const [i, child] of children.entries()) {
      written[`${child}.sig`] = await verifiedSignature(registry, repo, child, pub);
      const { manifest, statements } = await verifiedAttestations(registry, repo, child, pub);
      written[`${child}.att`] = manifest;
      expect(statements.map((s) => s.predicateType).sort()).toEqual(['https://slsa.dev/provenance/v1', 'https://spdx.dev/Document']);
      const provenance = statements.find((s) => s.predicateType === 'https://slsa.dev/provenance/v1')!.predicate;
      // Made in the shard that built this child: its platform, its build's inputs, never an arg's value.
      expect(provenance.buildDefinition.externalParameters.platform).toBe(PLATFORMS[i]);
      expect(provenance.buildDefinition.externalParameters.args.TOKEN).toMatch(/^sha256:/);
      expect(provenance.buildDefinition.internalParameters.inputs).toMatch(/^sha256:/);
      expect(JSON.stringify(provenance)).not.toContain('hashed-not-shown');
      const sbom = statements.find((s) => s.predicateType === 'https://spdx.dev/Document')!.predicate;
      expect(sbom.spdxVersion).toMatch(/^SPDX-2\./);
      expect(sbom.packages.length).toBeGreaterThan(0);
    }

    // Everything the merge wrote is in place: nothing left to change, nothing written again.
    const after = await multiarch(['plan', '--detailed-exitcode'], { cwd: dir, env });
    expect(after.exitCode, after.all).toBe(0);
    const again = await multiarch(['apply', '--merge', ...shards], { cwd: dir, env });
    expect(again.exitCode, again.all).toBe(0);
    expect(again.all).toContain('signature and attestations verified');
    expect(await verifiedSignature(registry, repo, index.digest, pub)).toBe(written.index);
    for (const child of children) {
      expect((await getManifest(registry, repo, sigTag(child, 'sig')))!.digest).toBe(written[`${child}.sig`]);
      expect((await getManifest(registry, repo, sigTag(child, 'att')))!.digest).toBe(written[`${child}.att`]);
    }

    // The key: in no output and no file the shards or the cache hold.
    for (const text of [...outputs, again.all, ...[...shards.map((s) => path.join(dir, s)), path.join(dir, 'cache')].flatMap(filesUnder).map((f) => readFileSync(f, 'latin1'))]) {
      expect(text).not.toContain(keyLine);
    }
  }, 900_000);
});
