/**
 * bench/fresh-runner: a new CI runner rebuilding a two-platform image after one COPY'd file changed.
 * The image (busybox base, a RUN that takes ~10 s on each platform, then a COPY) was published
 * before; the engine starts empty (build cache pruned, images removed) — a private second dockerd
 * (scripts/second-engine.sh), so the shared engine's cache is never touched. `multiarch apply`
 * (which takes its layer cache from the image it published before, no configuration) against the
 * seed's docker flow (build ×2, push ×2, manifest create/push) on the same fresh engine, in one
 * run, several rounds, each side publishing to a throwaway registry of its own.
 *
 * Run: npm run build && MULTIARCH_ENGINE2_DIR=… node node_modules/jiti/lib/jiti-cli.mjs bench/fresh-runner.ts [rounds]
 * Writes the "Fresh runner" section of docs/benchmarks.md.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { startRegistry, type ThrowawayRegistry } from './support/registry.js';
import { machineSummary, median, replaceSection } from './support/report.js';
import { timed } from './support/timing.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DOCKER = '/usr/bin/docker';
const rounds = Number(process.argv[2] ?? 3);
const host = (await execa('bash', [path.join(ROOT, 'scripts/second-engine.sh'), 'start'], { stdin: 'ignore' })).stdout.trim();
const engineEnv = { DOCKER_HOST: host, DOCKER_CONTEXT: '' };
const baseImage = '127.0.0.1:5000/hermetic/busybox:latest';
const SLOW_SECONDS = 10;

function writeProject(dir: string, registry: ThrowawayRegistry, file: string): void {
  writeFileSync(
    path.join(dir, 'Dockerfile'),
    `FROM ${baseImage}\nRUN sleep ${SLOW_SECONDS} && head -c 8 /dev/urandom | od -An -tx1 > /rand\nCOPY file.txt /file.txt\n`,
  );
  writeFileSync(path.join(dir, 'file.txt'), file);
  writeFileSync(
    path.join(dir, 'multiarch.config.ts'),
    `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { local: { url: '${registry.host}', insecure: true } },
  images: { app: { context: '.', platforms: ['linux/amd64', 'linux/arm64'], tags: ['v1'], publish: [{ registry: 'local', repository: 'bench/app', platformTag: '{tag}-{arch}' }] } },
});
`,
  );
}

/** A fresh runner: nothing built, nothing pulled, no BuildKit cache, no multiarch state. */
async function freshEngine(dir: string): Promise<void> {
  const ids = (await execa(DOCKER, ['image', 'ls', '-aq'], { env: engineEnv })).stdout.split('\n').filter(Boolean);
  if (ids.length) await execa(DOCKER, ['image', 'rm', '--force', ...new Set(ids)], { env: engineEnv, reject: false });
  await execa(DOCKER, ['builder', 'prune', '--all', '--force'], { env: engineEnv });
  rmSync(path.join(dir, '.multiarch'), { recursive: true, force: true });
}

/** The seed's flow with the docker CLI: what a runner without multiarch does. */
async function dockerFlow(dir: string, registry: ThrowawayRegistry): Promise<void> {
  const repo = `${registry.host}/bench/app`;
  const env = { ...engineEnv, DOCKER_BUILDKIT: '1' };
  for (const arch of ['amd64', 'arm64']) await execa(DOCKER, ['build', '--platform', `linux/${arch}`, '-t', `${repo}:v1-${arch}`, dir], { env });
  for (const arch of ['amd64', 'arm64']) await execa(DOCKER, ['push', `${repo}:v1-${arch}`], { env });
  await execa(DOCKER, ['manifest', 'rm', `${repo}:v1`], { env, reject: false });
  await execa(DOCKER, ['manifest', 'create', '--insecure', `${repo}:v1`, `${repo}:v1-amd64`, `${repo}:v1-arm64`], { env });
  await execa(DOCKER, ['manifest', 'push', '--insecure', `${repo}:v1`], { env });
}

async function multiarchApply(dir: string): Promise<string> {
  const r = await execa('node', [path.join(ROOT, 'bin/multiarch.js'), 'apply'], { cwd: dir, env: { ...engineEnv, NO_COLOR: '1' }, reject: false });
  if (r.exitCode !== 0) throw new Error(`multiarch apply failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Both platforms' images hold the new file (what was asked for was published). */
async function verify(registry: ThrowawayRegistry): Promise<void> {
  for (const arch of ['amd64', 'arm64']) {
    const out = (await execa(DOCKER, ['run', '--rm', '--pull', 'always', '--platform', `linux/${arch}`, `${registry.host}/bench/app:v1`, 'cat', '/file.txt'], { env: engineEnv })).stdout;
    if (out.trim() !== 'two') throw new Error(`${registry.host} linux/${arch}: /file.txt is ${out}`);
  }
}

interface Round {
  cli: number;
  tool: number;
  cachedSteps: string;
}

const results: Round[] = [];
for (let i = 0; i < rounds; i++) {
  const cliDir = mkdtempSync(path.join(os.tmpdir(), 'fresh-runner-cli-'));
  const toolDir = mkdtempSync(path.join(os.tmpdir(), 'fresh-runner-tool-'));
  const cliRegistry = await startRegistry();
  const toolRegistry = await startRegistry();
  try {
    // The previous version, published by each side's own flow (not timed).
    writeProject(cliDir, cliRegistry, 'one\n');
    writeProject(toolDir, toolRegistry, 'one\n');
    await freshEngine(cliDir);
    await dockerFlow(cliDir, cliRegistry);
    await freshEngine(toolDir);
    await multiarchApply(toolDir);
    writeFileSync(path.join(cliDir, 'file.txt'), 'two\n');
    writeFileSync(path.join(toolDir, 'file.txt'), 'two\n');
    const round: Partial<Round> = {};
    for (const who of i % 2 ? (['tool', 'cli'] as const) : (['cli', 'tool'] as const)) {
      await freshEngine(who === 'cli' ? cliDir : toolDir);
      if (who === 'cli') round.cli = await timed(() => dockerFlow(cliDir, cliRegistry));
      else {
        let out = '';
        round.tool = await timed(async () => (out = await multiarchApply(toolDir)));
        // The summary's layer cache rows: `  <build label>  1/2 steps from cache (from …)`.
        round.cachedSteps = [...out.matchAll(/^ {2}(\S.*?) {2}(\d+\/\d+) steps from cache/gm)].map((m) => `${m[1]}: ${m[2]}`).join(', ');
      }
    }
    await verify(cliRegistry);
    await verify(toolRegistry);
    results.push(round as Round);
    console.error(`round ${i + 1}/${rounds}: docker CLI ${round.cli!.toFixed(2)}s, multiarch ${round.tool!.toFixed(2)}s (${round.cachedSteps} steps from cache), ratio ${(round.tool! / round.cli!).toFixed(2)}`);
  } finally {
    await cliRegistry.stop();
    await toolRegistry.stop();
    rmSync(cliDir, { recursive: true, force: true });
    rmSync(toolDir, { recursive: true, force: true });
  }
}

const ratio = median(results.map((r) => r.tool / r.cli));
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const section = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machineSummary()}; ${rounds} rounds. The machine is shared with other sessions building and testing at the same time (load average ${load} at the end), so absolute times vary; both sides of a round ran back to back on the same engine, alternating who goes first.`,
  '',
  `Work: a two-platform image (linux/amd64 native, linux/arm64 under QEMU; busybox base, \`RUN sleep ${SLOW_SECONDS}\` writing a random value, then \`COPY file.txt\`) whose previous version each side published itself; then \`file.txt\` changes and the engine is made fresh — a private second dockerd (\`scripts/second-engine.sh\`) with its images removed and its build cache pruned, as on a new CI runner. Timed: the seed's docker flow (\`docker build\` ×2, \`docker push\` ×2, \`docker manifest create\` + \`push\`, BuildKit via /usr/bin/docker 20.10) against \`multiarch apply\` with no cache configuration — it takes each platform's layer cache from the image it published before (inline cache, \`--cache-from <child>@<digest>\`), so the RUN is not run again; the docker flow has no cache to start from on a fresh runner. Each side publishes to a throwaway registry of its own; both are checked to serve the new file for both platforms.`,
  '',
  '| round | docker CLI (s) | multiarch apply (s) | ratio | steps from cache (multiarch) |',
  '|---:|---:|---:|---:|---|',
  ...results.map((r, i) => `| ${i + 1} | ${r.cli.toFixed(2)} | ${r.tool.toFixed(2)} | ${(r.tool / r.cli).toFixed(2)} | ${r.cachedSteps} |`),
  `| **median** | **${median(results.map((r) => r.cli)).toFixed(2)}** | **${median(results.map((r) => r.tool)).toFixed(2)}** | **${ratio.toFixed(2)}** | |`,
  '',
  `Target: ratio ≤ 0.5. ${ratio <= 0.5 ? 'Met' : 'Not met'} (median ${ratio.toFixed(2)}).`,
  '',
  'Reproduce: `npm run build && MULTIARCH_ENGINE2_DIR=/tmp/engine-bench MULTIARCH_ENGINE2_BRIDGE=mabr-bench MULTIARCH_ENGINE2_SUBNET=172.31.116.1/24 MULTIARCH_ENGINE2_EXEC_ROOT=/run/ma-bench node node_modules/jiti/lib/jiti-cli.mjs bench/fresh-runner.ts 3` (needs the test environment for the base image: `bash scripts/test-env.sh`; stop the engine afterwards with `scripts/second-engine.sh stop` and the same variables).',
];
replaceSection(path.join(ROOT, 'docs/benchmarks.md'), 'Fresh runner', section.join('\n'));
console.log(section.join('\n'));
