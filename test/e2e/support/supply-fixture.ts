/**
 * A signing project for the supply-chain tests: a config that scans with the Trivy stand-in,
 * signs with a fresh openssl P-256 key and attests as asked, plus what the tests verify with
 * (the public key) and look for in outputs (a line of the private key, which must never show).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { testEnv } from './env.js';
import { makeFixture } from './fixtures.js';

const FAKES = path.join(path.dirname(new URL(import.meta.url).pathname), 'fake-scanners');

export interface SigningProject {
  readonly dir: string;
  readonly pub: string;
  readonly keyLine: string;
  /** The Trivy stand-in on PATH, its log, and a cache directory of the project's own. */
  readonly env: Record<string, string>;
}

/** `attest` and `images` are config source text; `registry` the `local` registry's url (default: the test registry). */
export function signingProject(attest: string, images: string, registry = testEnv().registry): SigningProject {
  const { baseImage } = testEnv();
  const dir = makeFixture({
    'web/Dockerfile': `FROM ${baseImage}\nLABEL e2e.scan.reports="*=trivy-clean.json"\n`,
    'multiarch.config.ts': `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { local: { url: '${registry}', insecure: true } },
  scan: { scanner: 'trivy', cacheDir: '.scanner-cache' },
  sign: { key: { file: './cosign.key' } },
  attest: ${attest},
  images: ${images},
});
`,
  });
  execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path.join(dir, 'cosign.key')]);
  const pub = execFileSync('openssl', ['pkey', '-in', path.join(dir, 'cosign.key'), '-pubout'], { encoding: 'utf8' });
  const keyLine = readFileSync(path.join(dir, 'cosign.key'), 'utf8').split('\n')[1]!;
  const env = { PATH: `${FAKES}:${process.env.PATH}`, FAKE_SCANNER_LOG: path.join(dir, 'calls.ndjson'), FAKE_EXPECT_CACHE_DIR: path.join(realpathSync(dir), '.scanner-cache'), MULTIARCH_CACHE_DIR: path.join(dir, 'cache') };
  return { dir, pub, keyLine, env };
}

export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}
