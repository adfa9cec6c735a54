/**
 * bench/signing-overhead: what `sign` + `attest: { provenance }` add to an apply. One image × 2
 * platforms (busybox base, warm BuildKit cache), applied with --force to fresh repositories each
 * round (so every push, index and signature is really written), without and with signing,
 * alternating which goes first. SBOMs are left out: their cost is the scanner's (Trivy cannot run
 * here; the e2e stand-in would time nothing real).
 *
 * Run: npm run build && node node_modules/jiti/lib/jiti-cli.mjs bench/signing-overhead.ts [rounds]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { testEnvVars, timeCli } from './incremental-plan.js';
import { median } from './support/report.js';

const rounds = Number(process.argv[2] ?? 5);
const env = testEnvVars();
const registry = env.MULTIARCH_TEST_REGISTRY ?? '127.0.0.1:5000';
const base = env.MULTIARCH_TEST_BASE_IMAGE ?? `${registry}/hermetic/busybox:latest`;
const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-sign-'));
mkdirSync(path.join(dir, 'web'));
writeFileSync(path.join(dir, 'web/Dockerfile'), `FROM ${base}\nLABEL bench=signing\n`);
execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path.join(dir, 'cosign.key')]);

function config(repo: string, signed: boolean): void {
  writeFileSync(
    path.join(dir, 'multiarch.config.ts'),
    `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { local: { url: '${registry}', insecure: true } },
  ${signed ? "sign: { key: { file: './cosign.key' } }, attest: { provenance: true }," : ''}
  images: { web: { context: './web', platforms: ['linux/amd64', 'linux/arm64'], tags: ['v1'], publish: [{ registry: 'local', repository: '${repo}' }] } },
});
`,
  );
}

async function once(signed: boolean, round: number): Promise<number> {
  config(`bench/supply16-${Date.now()}-${round}-${signed ? 'signed' : 'plain'}`, signed);
  const run = await timeCli(['apply', '--force'], dir, env);
  if (run.exitCode !== 0) throw new Error(`apply failed (${signed ? 'signed' : 'plain'}):\n${run.stdout}`);
  return run.wall;
}

const plain: number[] = [];
const signed: number[] = [];
await once(false, -1); // warm the build cache
for (let round = 0; round < rounds; round++) {
  if (round % 2 === 0) {
    plain.push(await once(false, round));
    signed.push(await once(true, round));
  } else {
    signed.push(await once(true, round));
    plain.push(await once(false, round));
  }
  console.log(`round ${round + 1}: plain ${plain.at(-1)!.toFixed(2)} s, signed ${signed.at(-1)!.toFixed(2)} s`);
}
console.log(`median plain ${median(plain).toFixed(2)} s, signed ${median(signed).toFixed(2)} s, overhead ${(median(signed) - median(plain)).toFixed(2)} s (${((median(signed) / median(plain) - 1) * 100).toFixed(0)} %)`);
rmSync(dir, { recursive: true, force: true });
