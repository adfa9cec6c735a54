/**
 * Signatures, SLSA provenance and SBOMs on a real registry, checked by an independent verifier:
 * the registry's HTTP API read directly and every signature verified with openssl. One apply
 * signs every child and index in both fan-out targets and attests each child (provenance + SBOM
 * from the Trivy stand-in); a second apply writes nothing; a tampered payload no longer counts as
 * signed; a cosign-format encrypted key opens with the right password and is a config error with
 * the wrong one; no secret reaches any output, the plan JSON or the cache.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, randomBytes, scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { multiarch } from './support/cli.js';
import { filesUnder, signingProject } from './support/supply-fixture.js';
import { getBlob, getManifest, opensslVerifies, putBlob, putManifest, sigTag, verifiedAttestations } from './support/cosign-registry.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';

const unwrap = (text: string) => text.replace(/\s+/g, ' ');

/** cosign generate-key-pair's format: PKCS#8 DER sealed with scrypt + NaCl secretbox, JSON in PEM. */
function cosignKey(pkcs8Pem: string, password: string): string {
  const der = createPrivateKey(pkcs8Pem).export({ type: 'pkcs8', format: 'der' });
  const salt = randomBytes(32);
  const nonce = randomBytes(24);
  const secret = scryptSync(password, salt, 32, { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  const sealed = nacl.secretbox(der, nonce, secret);
  const json = JSON.stringify({
    kdf: { name: 'scrypt', params: { N: 32768, r: 8, p: 1 }, salt: salt.toString('base64') },
    cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
    ciphertext: Buffer.from(sealed).toString('base64'),
  });
  const body = Buffer.from(json).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n${body}\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n`;
}

describe('supply chain', () => {
  it('signs and attests every digest, verifiably, once', async () => {
    const { registry } = testEnv();
    const stamp = Date.now();
    const repo = `e2e/supply16-${stamp}/web`;
    const mirror = `e2e/supply16-${stamp}/mirror`;
    const { dir, pub, keyLine, env } = signingProject(
      '{ provenance: true, sbom: true }',
      `{
    web: { context: './web', platforms: ['linux/amd64', 'linux/arm64'], tags: ['v1'], args: { TOKEN: 'not-a-secret-but-hashed' },
      publish: [{ registry: 'local', repository: '${repo}' }, { registry: 'local', repository: '${mirror}' }] },
  }`,
    );

    const plan = await multiarch(['plan'], { cwd: dir, env });
    expect(plan.exitCode, plan.all).toBe(0);
    expect(unwrap(plan.stdout)).toMatch(/\+ sign .*\+ attest provenance .*\+ attest sbom \(cyclonedx\)/);

    const apply = await multiarch(['apply'], { cwd: dir, env });
    expect(apply.exitCode, apply.all).toBe(0);

    const index = (await getManifest(registry, repo, 'v1'))!;
    const children = index.json.manifests!.map((m) => m.digest);
    expect(children).toHaveLength(2); // the index gained no entries
    const sigs: Record<string, string> = {};
    const atts: Record<string, string> = {};
    for (const r of [repo, mirror]) {
      for (const digest of [index.digest, ...children]) {
        const sig = (await getManifest(registry, r, sigTag(digest, 'sig')))!;
        expect(sig, `${r} ${digest}`).toBeDefined();
        sigs[`${r}@${digest}`] = sig.digest;
        const layer = sig.json.layers![0]!;
        expect(layer.mediaType).toBe('application/vnd.dev.cosign.simplesigning.v1+json');
        const payload = await getBlob(registry, r, layer.digest);
        const claim = JSON.parse(payload.toString('utf8'));
        expect(claim.critical.type).toBe('cosign container image signature');
        expect(claim.critical.image['docker-manifest-digest']).toBe(digest);
        expect(opensslVerifies(pub, layer.annotations!['dev.cosignproject.cosign/signature']!, payload)).toBe(true);
      }
    }
    // The index's own repository has no mirror index: the mirror holds its own, signed as well.
    for (const child of children) {
      // Each layer a DSSE envelope whose signature openssl verifies, its statement about this child.
      const { manifest, statements } = await verifiedAttestations(registry, repo, child, pub);
      for (const { predicateType, predicate: p } of statements) {
        if (predicateType === 'https://slsa.dev/provenance/v1') {
          expect(p.buildDefinition.externalParameters.config.path).toBe('multiarch.config.ts');
          expect(p.buildDefinition.externalParameters.args.TOKEN).toMatch(/^sha256:/);
          expect(JSON.stringify(p)).not.toContain('not-a-secret-but-hashed');
          expect(p.buildDefinition.resolvedDependencies.some((d: { uri: string }) => d.uri.includes('hermetic/busybox'))).toBe(true);
          expect(p.runDetails.metadata.startedOn).toBeTruthy();
        } else {
          expect(p.bomFormat).toBe('CycloneDX');
        }
      }
      expect(statements.map((s) => s.predicateType).sort()).toEqual(['https://cyclonedx.org/bom', 'https://slsa.dev/provenance/v1']);
      atts[child] = manifest;
      // Fan-out: the mirror holds the very same attestations.
      expect((await getManifest(registry, mirror, sigTag(child, 'att')))!.digest).toBe(manifest);
    }

    // Everything signed and attested: the image folds into the up-to-date line; --verbose says why.
    const folded = await multiarch(['plan', '--detailed-exitcode'], { cwd: dir, env });
    expect(folded.exitCode, folded.all).toBe(0); // nothing to write: every digest signed and attested
    expect(unwrap(folded.stdout)).toMatch(/= 1 image up to date: web/);
    expect(unwrap(folded.stdout)).not.toMatch(/\+ sign|\+ attest/);
    const again = await multiarch(['plan', '--verbose'], { cwd: dir, env });
    expect(unwrap(again.stdout)).toMatch(/= signed/);
    expect(unwrap(again.stdout)).not.toMatch(/\+ sign|\+ attest/);
    const second = await multiarch(['apply'], { cwd: dir, env });
    expect(second.exitCode, second.all).toBe(0);
    for (const [ref, digest] of Object.entries(sigs)) {
      const [r, d] = ref.split('@');
      expect((await getManifest(registry, r!, sigTag(d!, 'sig')))!.digest, ref).toBe(digest); // nothing re-signed
    }
    for (const [child, digest] of Object.entries(atts)) expect((await getManifest(registry, repo, sigTag(child, 'att')))!.digest).toBe(digest);
    expect(second.all).toContain('signature and attestations verified');

    // Tamper with the index's signature payload: the tag is still there, but it no longer verifies.
    const sig = (await getManifest(registry, repo, sigTag(index.digest, 'sig')))!;
    const layer = sig.json.layers![0]!;
    const payload = JSON.parse((await getBlob(registry, repo, layer.digest)).toString('utf8'));
    payload.optional = { tampered: 'yes' };
    const forged = Buffer.from(JSON.stringify(payload));
    const forgedDigest = await putBlob(registry, repo, forged);
    await putManifest(registry, repo, sigTag(index.digest, 'sig'), { ...sig.json, layers: [{ ...layer, digest: forgedDigest, size: forged.length }] });
    const tampered = await multiarch(['plan', '--detailed-exitcode'], { cwd: dir, env });
    expect(unwrap(tampered.stdout)).toMatch(/index v1 → local .*\+ sign/);
    // Nothing to build or push, but a signature to write: a change.
    expect(unwrap(tampered.stdout)).toMatch(/0 to build, 0 to push, .*1 digest to sign/);
    expect(tampered.exitCode, tampered.all).toBe(2);
    const resign = await multiarch(['apply'], { cwd: dir, env });
    expect(resign.exitCode, resign.all).toBe(0);
    const fixed = (await getManifest(registry, repo, sigTag(index.digest, 'sig')))!;
    expect(fixed.json.layers).toHaveLength(2);

    // Secrets: no line of the key in any output, the plan JSON or the cache.
    const planJson = await multiarch(['plan', '--json'], { cwd: dir, env });
    type JsonNode = { kind: string; sign?: { keyId: string }; attest?: unknown };
    const pushes = (JSON.parse(planJson.stdout) as { images: Array<{ nodes: JsonNode[] }> }).images.flatMap((i) => i.nodes).filter((n) => n.kind === 'push');
    expect(pushes).toHaveLength(4);
    expect(pushes.every((n) => /^[0-9a-f]{64}$/.test(n.sign?.keyId ?? '') && JSON.stringify(n.attest) === '{"provenance":true,"sbom":"cyclonedx"}')).toBe(true);
    for (const text of [plan.all, apply.all, second.all, planJson.stdout, ...filesUnder(path.join(dir, 'cache')).map((f) => readFileSync(f, 'latin1'))]) {
      expect(text).not.toContain(keyLine);
    }
  }, 600_000);

  it('a missing key file is a config error at plan time: exit 1, nothing written', async () => {
    const { registry, baseImage } = testEnv();
    const repo = `e2e/supply16-${Date.now()}/nokey`;
    const dir = makeFixture({
      'web/Dockerfile': `FROM ${baseImage}\n`,
      'multiarch.config.ts': `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { local: { url: '${registry}', insecure: true } },
  sign: { key: { file: './missing.key' } },
  images: { web: { context: './web', platforms: ['linux/amd64'], tags: ['v1'], publish: [{ registry: 'local', repository: '${repo}' }] } },
});
`,
    });
    const run = await multiarch(['apply'], { cwd: dir });
    expect(run.exitCode).toBe(1);
    expect(unwrap(run.all)).toContain('sign.key.file: missing.key cannot be read');
    expect(await getManifest(registry, repo, 'v1')).toBeUndefined();
  }, 120_000);

  it('opens a cosign-format key with its password; a wrong or missing one is a config error', async () => {
    const { registry, baseImage } = testEnv();
    const password = `pw-${randomBytes(6).toString('hex')}`;
    const dir = makeFixture({
      'web/Dockerfile': `FROM ${baseImage}\n`,
      'multiarch.config.ts': `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { local: { url: '${registry}', insecure: true } },
  sign: { key: { env: 'COSIGN_PRIVATE_KEY' }, password: { env: 'COSIGN_PASSWORD' } },
  images: { web: { context: './web', platforms: ['linux/amd64'], tags: ['v1'], publish: [{ registry: 'local', repository: 'e2e/supply16-${Date.now()}/key' }] } },
});
`,
    });
    const pem = execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], { encoding: 'utf8' });
    const key = cosignKey(pem, password);
    const right = await multiarch(['plan'], { cwd: dir, env: { COSIGN_PRIVATE_KEY: key, COSIGN_PASSWORD: password } });
    expect(right.exitCode, right.all).toBe(0);
    expect(unwrap(right.stdout)).toContain('+ sign');
    const wrong = await multiarch(['apply'], { cwd: dir, env: { COSIGN_PRIVATE_KEY: key, COSIGN_PASSWORD: `${password}x` } });
    expect(wrong.exitCode).toBe(1);
    expect(unwrap(wrong.all)).toContain('sign.key: the password does not open the key');
    const missing = await multiarch(['plan'], { cwd: dir, env: { COSIGN_PRIVATE_KEY: key } });
    expect(missing.exitCode).toBe(1);
    expect(unwrap(missing.all)).toContain('$COSIGN_PASSWORD is not set');
    for (const text of [right.all, wrong.all, missing.all]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(key.split('\n')[1]!);
    }
  }, 120_000);
});
