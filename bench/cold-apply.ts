/**
 * bench/cold-apply: the two-platform web server (examples/web-server, linux/amd64 + linux/arm64)
 * published cold, `multiarch apply` against the plain docker CLI doing the seed's steps in sequence
 * (build, build, push, push, manifest create, manifest push), in one run, several rounds.
 *
 * "Cold" for both sides, every round: BuildKit's cache and the built images are removed, and each
 * run pushes to a fresh, empty registry of its own. Both use the same builder (classic BuildKit via
 * /usr/bin/docker, what multiarch detects on this machine). Two variants, each the same work on
 * both sides: the publish steps alone, and with the seed's checks (run `uname -m`, request the page)
 * before pushing — multiarch's test step against the same checks done by hand in the script.
 *
 * Run: npm run build && node node_modules/jiti/lib/jiti-cli.mjs bench/cold-apply.ts [rounds]
 * Writes the "Cold apply" section of docs/benchmarks.md.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { startRegistry, type ThrowawayRegistry } from './support/registry.js';
import { median, replaceSection, machineSummary } from './support/report.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DOCKER = '/usr/bin/docker';
const rounds = Number(process.argv[2] ?? 5);
const env = Object.fromEntries(
  readFileSync(path.join(ROOT, '.test-env/env'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('='))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);
const baseImage = env.MULTIARCH_TEST_BASE_IMAGE ?? '127.0.0.1:5000/hermetic/busybox:latest';
const context = path.join(ROOT, 'examples/web-server');

async function coldEngine(): Promise<void> {
  await execa(DOCKER, ['builder', 'prune', '--all', '--force'], { reject: false });
  const images = (await execa(DOCKER, ['images', '--format', '{{.Repository}}:{{.Tag}}'])).stdout
    .split('\n')
    .filter((ref) => ref.startsWith('multiarch/web:') || ref.includes('/bench/'));
  if (images.length) await execa(DOCKER, ['rmi', '--force', ...images], { reject: false });
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function dockerCli(registry: ThrowawayRegistry, checks: boolean): Promise<void> {
  const repo = `${registry.host}/bench/web`;
  const sh = path.join(ROOT, 'bench/docker-cli-seed.sh');
  await execa('bash', [sh, ...(checks ? ['--check'] : []), repo, context, baseImage], { env: { DOCKER }, stdio: 'inherit' });
}

async function multiarch(registry: ThrowawayRegistry, workdir: string, checks: boolean): Promise<number> {
  const config = path.join(workdir, 'multiarch.config.ts');
  writeFileSync(
    config,
    `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { local: { url: '${registry.host}', insecure: true } },
  images: {
    web: {
      context: ${JSON.stringify(context)},
      platforms: ['linux/amd64', 'linux/arm64'],
      args: { BASE_IMAGE: '${baseImage}' },
      tags: ['v1'],
      ${checks ? "test: { command: ['uname', '-m'], expectOutput: '{uname}', http: { port: 80, path: '/' } }," : ''}
      publish: [{ registry: 'local', repository: 'bench/web', platformTag: '{tag}-{arch}' }],
    },
  },
});
`,
  );
  // GNU time's %M: the CLI's peak resident memory, in KiB.
  const r = await execa('/usr/bin/time', ['-f', '%M', 'node', path.join(ROOT, 'bin/multiarch.js'), 'apply', '--config', config], {
    env: { MULTIARCH_CACHE_DIR: path.join(workdir, 'cache'), NO_COLOR: '1' },
    reject: false,
  });
  if (r.exitCode !== 0) throw new Error(`multiarch apply failed:\n${r.stdout}\n${r.stderr}`);
  return Number(r.stderr.trim().split('\n').at(-1)) / 1024;
}

async function verify(registry: ThrowawayRegistry): Promise<void> {
  const r = await execa('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/bench/web:v1`]);
  const platforms = (JSON.parse(r.stdout) as { manifests: Array<{ platform: { architecture: string } }> }).manifests.map((m) => m.platform.architecture);
  if (platforms.sort().join() !== 'amd64,arm64') throw new Error(`bad index on ${registry.host}: ${platforms.join()}`);
}

interface Round {
  cli: number;
  tool: number;
  rssMiB: number;
}

async function measure(checks: boolean): Promise<Round[]> {
  const results: Round[] = [];
  for (let i = 0; i < rounds; i++) {
    const workdir = mkdtempSync(path.join(os.tmpdir(), 'multiarch-bench-'));
    const cliRegistry = await startRegistry();
    const toolRegistry = await startRegistry();
    try {
      // Alternate who goes first, so drift (page cache, thermal) hits both alike.
      const order = i % 2 === 0 ? (['cli', 'tool'] as const) : (['tool', 'cli'] as const);
      const round: Partial<Round> = {};
      for (const who of order) {
        await coldEngine();
        if (who === 'cli') round.cli = await timed(() => dockerCli(cliRegistry, checks));
        else {
          let rss = 0;
          round.tool = await timed(async () => {
            rss = await multiarch(toolRegistry, workdir, checks);
          });
          round.rssMiB = rss;
        }
      }
      await verify(cliRegistry);
      await verify(toolRegistry);
      results.push(round as Round);
      console.error(`${checks ? 'with checks' : 'publish only'} round ${i + 1}/${rounds}: docker CLI ${round.cli!.toFixed(2)}s, multiarch ${round.tool!.toFixed(2)}s, ratio ${(round.tool! / round.cli!).toFixed(2)}`);
    } finally {
      await cliRegistry.stop();
      await toolRegistry.stop();
      rmSync(workdir, { recursive: true, force: true });
    }
  }
  return results;
}

function table(title: string, results: readonly Round[]): string[] {
  const cli = median(results.map((r) => r.cli));
  const tool = median(results.map((r) => r.tool));
  const ratio = median(results.map((r) => r.tool / r.cli));
  return [
    `### ${title}`,
    '',
    '| round | docker CLI (s) | multiarch apply (s) | ratio | multiarch peak RSS (MiB) |',
    '|---:|---:|---:|---:|---:|',
    ...results.map((r, i) => `| ${i + 1} | ${r.cli.toFixed(2)} | ${r.tool.toFixed(2)} | ${(r.tool / r.cli).toFixed(2)} | ${r.rssMiB.toFixed(0)} |`),
    `| **median** | **${cli.toFixed(2)}** | **${tool.toFixed(2)}** | **${ratio.toFixed(2)}** | |`,
    '',
  ];
}

const publishOnly = await measure(false);
const withChecks = await measure(true);
const ratio = median(publishOnly.map((r) => r.tool / r.cli));
const checkedRatio = median(withChecks.map((r) => r.tool / r.cli));
const section = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machineSummary()}; ${rounds} rounds per variant, cold each time (BuildKit cache pruned, built images removed, an empty registry per run), the two sides alternating who goes first.`,
  '',
  'Work: the two-platform web server (`examples/web-server`, linux/amd64 native + linux/arm64 under QEMU) built, pushed and published as one multi-arch tag. The baseline is `bench/docker-cli-seed.sh`, the seed\'s steps in sequence — `docker build` ×2, `docker push` ×2, `docker manifest create`, `docker manifest push` — with the same builder (BuildKit via /usr/bin/docker). "With checks" adds the seed\'s manual checks on both sides: run each platform\'s image for `uname -m` and request its page before pushing (multiarch: its `test` step).',
  '',
  ...table('Publish only', publishOnly),
  ...table('With the seed\'s checks', withChecks),
  `Target: ratio ≤ 0.8 (from overlapping the platforms' builds, tests and pushes). Publish only: ${ratio <= 0.8 ? 'met' : 'not met'} (median ${ratio.toFixed(2)}); with checks: ${checkedRatio <= 0.8 ? 'met' : 'not met'} (median ${checkedRatio.toFixed(2)}).`,
  '',
  'Where the time goes (one cold `apply --json`, event times against the process start): the run starts at +1.25 s — about 0.45 s loading Node modules (zod, execa, jiti, undici: parse and compile, single-threaded), 0.2 s probing the docker clients and git, 0.2 s of incremental planning (context hashing, registry reads) — then the two builds run side by side (1.9 s each: on 2 cores two BuildKit builds of this tiny image take as long together as one after the other, so the overlap gains nothing here), each push takes 0.4–0.5 s including the engine export (`docker save` + gzip, which `docker push` avoids by reading the engine\'s store), and the index 0.06 s. The docker CLI side has no planning and no start-up of its own beyond each command. With checks, running both platforms\' tests side by side wins back most of that. The overlap the target counts on pays off when builds are long (emulated compiles, downloads) — not measured here, where the example is a few-file busybox image so the test suite stays fast. Levers left: bundling the CLI (fewer, smaller modules to load) and pushing straight from BuildKit where buildx is present.',
  '',
  'Reproduce: `npm run build && node node_modules/jiti/lib/jiti-cli.mjs bench/cold-apply.ts 5` (needs the test environment: `bash scripts/test-env.sh`).',
];
replaceSection(path.join(ROOT, 'docs/benchmarks.md'), 'Cold apply', section.join('\n'));
console.log(section.join('\n'));
