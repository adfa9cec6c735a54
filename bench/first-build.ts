/**
 * bench/first-build: how soon the first build starts on the cold path — the `node:start` event
 * time of the first build node of `multiarch apply --json`, relative to the moment the process
 * was spawned. Each round is a new project (a config file jiti has never transformed, nothing
 * published, an empty cache directory), pushing to a throwaway registry; the build itself is
 * whatever the engine makes of it (not measured here: bench/cold-apply.ts does).
 *
 * Run: npm run build && node node_modules/jiti/lib/jiti-cli.mjs bench/first-build.ts [rounds]
 * Writes the "First build latency" section of docs/benchmarks.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { testEnvVars } from './incremental-plan.js';
import { startRegistry } from './support/registry.js';
import { machineSummary, median, replaceSection } from './support/report.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Row {
  readonly round: number;
  /** ms from spawn to the first build's node:start. */
  readonly firstBuild: number;
  /** ms from spawn to run:start (the plan is made). */
  readonly runStart: number;
  /** ms for `node -e 0` just before, the floor of any Node CLI on this machine at that moment. */
  readonly node: number;
}

function writeProject(dir: string, registry: string, baseImage: string, round: number): void {
  mkdirSync(path.join(dir, 'app'), { recursive: true });
  writeFileSync(path.join(dir, 'app/Dockerfile'), `FROM ${baseImage}\nCOPY hello.txt /hello.txt\n`);
  writeFileSync(path.join(dir, 'app/hello.txt'), `round ${round} ${Date.now()}\n`);
  writeFileSync(
    path.join(dir, 'multiarch.config.ts'),
    `import { defineConfig } from 'multiarch';
// round ${round}: a config jiti has not seen
export default defineConfig({
  registries: { bench: { url: '${registry}', insecure: true } },
  images: { app: { context: './app', platforms: ['linux/amd64', 'linux/arm64'], tags: ['v1'], publish: [{ registry: 'bench', repository: 'bench/first-build-${round}' }] } },
});
`,
  );
}

async function firstBuild(rounds: number): Promise<{ rows: Row[]; load: [string, string] }> {
  const { MULTIARCH_TEST_BASE_IMAGE: baseImage = '127.0.0.1:5000/hermetic/busybox:latest' } = testEnvVars();
  const registry = await startRegistry();
  const rows: Row[] = [];
  const before = os.loadavg().map((l) => l.toFixed(1)).join(', ');
  try {
    for (let round = 1; round <= rounds; round++) {
      const dir = mkdtempSync(path.join(ROOT, '.test-env', 'bench-first-build-'));
      const cache = mkdtempSync(path.join(os.tmpdir(), 'bench-first-build-cache-'));
      try {
        writeProject(dir, registry.host, baseImage, round);
        const n0 = Date.now();
        await execa('node', ['-e', '0']);
        const node = Date.now() - n0;
        const spawned = Date.now();
        const r = await execa('node', [path.join(ROOT, 'bin/multiarch.js'), 'apply', '--json'], { cwd: dir, env: { MULTIARCH_CACHE_DIR: cache }, reject: false });
        if (r.exitCode !== 0) throw new Error(`apply failed:\n${r.stdout}\n${r.stderr}`);
        const events = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; at: number; id?: string });
        const start = events.find((e) => e.type === 'run:start')!.at;
        const build = events.find((e) => e.type === 'node:start' && e.id?.startsWith('build:'))!.at;
        rows.push({ round, firstBuild: build - spawned, runStart: start - spawned, node });
        console.error(`round ${round}: first build at +${build - spawned} ms (plan ready +${start - spawned} ms; node -e 0: ${node} ms)`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
        rmSync(cache, { recursive: true, force: true });
      }
    }
  } finally {
    await registry.stop();
  }
  return { rows, load: [before, os.loadavg().map((l) => l.toFixed(1)).join(', ')] };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { rows, load } = await firstBuild(Number(process.argv[2] ?? 5));
  const med = (k: keyof Row) => median(rows.map((r) => r[k]));
  const table = [
    '| round | first build starts (ms after spawn) | plan ready, run:start (ms) | `node -e 0` (ms) |',
    '|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.round} | ${r.firstBuild} | ${r.runStart} | ${r.node} |`),
    `| **median** | **${med('firstBuild')}** | ${med('runStart')} | ${med('node')} |`,
  ].join('\n');
  replaceSection(
    path.join(ROOT, 'docs/benchmarks.md'),
    'First build latency',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machineSummary()}; ${rows.length} rounds; load average ${load[0]} before, ${load[1]} after (shared machine; \`node -e 0\`, timed just before each round, is the floor any Node CLI pays at that moment).

Work: \`multiarch apply --json\` of a new project each round (one image × 2 platforms, a config file never transformed before, an empty cache directory, nothing published), the time from spawning the process to the \`node:start\` event of its first build (event times are the CLI's clock; the same machine's).

${table}

Target: the first build starts within 0.3 s of process start: ${med('firstBuild') <= 300 ? 'met' : 'not met'} (median ${med('firstBuild')} ms).

Reproduce: \`npm run build && node node_modules/jiti/lib/jiti-cli.mjs bench/first-build.ts 5\` (needs the test environment: \`bash scripts/test-env.sh\`).`,
  );
  console.log(`median first build at +${med('firstBuild')} ms`);
}
