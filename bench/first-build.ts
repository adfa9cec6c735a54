/**
 * bench/first-build: how soon the first build starts on the cold path — the `node:start` event
 * time of the first build node of `multiarch apply --json`, relative to the moment the process
 * was spawned — for two images: a RUN-less one (assembled directly: no engine, so no docker
 * process should start) and one with a RUN (built by the engine: the docker client is probed on
 * an empty cache directory). Each round is a new project (a config file jiti has never
 * transformed, nothing published, an empty cache directory), pushing to the test registry under
 * a repository of its own; the build itself is not measured here (bench/cold-apply.ts does). The
 * CPU column is user+sys of the whole apply (GNU time: the Node process and its children).
 * Each round runs two such projects: one on a machine where multiarch has run before (what it
 * keeps per user, not per project, is there: V8's code cache of its own code, bin/compile-cache.cjs,
 * and the docker client memo), and one as the very first run on a machine (both empty).
 *
 * Run: npm run build && node node_modules/jiti/lib/jiti-cli.mjs bench/first-build.ts [rounds] [--print]
 * Writes the "First build latency" section of docs/benchmarks.md (`--print`: only prints it).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { testEnvVars } from './incremental-plan.js';
import { machineSummary, median, replaceSection } from './support/report.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

type Variant = 'direct' | 'engine';

interface Row {
  readonly variant: Variant;
  readonly round: number;
  /** ms from spawn to the first build's node:start. */
  readonly firstBuild: number;
  /** The same as the first run on the machine (no code cache, no docker client memo). */
  readonly firstBuildFirstRun: number;
  /** ms from spawn to run:start (the plan is made). */
  readonly runStart: number;
  /** s of user+sys CPU of the whole apply, children included. */
  readonly cpu: number;
  /** ms for `node -e 0` just before, the floor of any Node CLI on this machine at that moment. */
  readonly node: number;
}

const DOCKERFILES: Record<Variant, (base: string) => string> = {
  direct: (base) => `FROM ${base}\nCOPY hello.txt /hello.txt\n`,
  engine: (base) => `FROM ${base}\nCOPY hello.txt /hello.txt\nRUN cp /hello.txt /copied.txt\n`,
};

function writeProject(dir: string, variant: Variant, registry: string, baseImage: string, repository: string, round: number): void {
  mkdirSync(path.join(dir, 'app'), { recursive: true });
  writeFileSync(path.join(dir, 'app/Dockerfile'), DOCKERFILES[variant](baseImage));
  writeFileSync(path.join(dir, 'app/hello.txt'), `round ${round} ${Date.now()}\n`);
  writeFileSync(
    path.join(dir, 'multiarch.config.ts'),
    `import { defineConfig } from 'multiarch';
// ${repository}: a config jiti has not seen
export default defineConfig({
  registries: { bench: { url: '${registry}', insecure: true } },
  images: { app: { context: './app', platforms: ['linux/amd64', 'linux/arm64'], tags: ['v1'], publish: [{ registry: 'bench', repository: '${repository}' }] } },
});
`,
  );
}

async function firstBuild(variant: Variant, rounds: number): Promise<Row[]> {
  const { MULTIARCH_TEST_BASE_IMAGE: baseImage = '127.0.0.1:5000/hermetic/busybox:latest', MULTIARCH_TEST_REGISTRY: registry = '127.0.0.1:5000' } = testEnvVars();
  const rows: Row[] = [];
  const stamp = Date.now();
  const userCache = mkdtempSync(path.join(os.tmpdir(), 'bench-first-build-user-'));
  try {
    // What any earlier run of the CLI on this machine leaves in the user's cache: a throwaway project's plan.
    const warmup = mkdtempSync(path.join(ROOT, '.test-env', 'bench-first-build-'));
    writeProject(warmup, 'engine', registry, baseImage, `bench/first-build-warmup-${stamp}`, 0);
    await execa('node', [path.join(ROOT, 'bin/multiarch.js'), 'plan'], { cwd: warmup, env: userCacheEnv(userCache), reject: false }).finally(() =>
      rmSync(warmup, { recursive: true, force: true }),
    );
    for (let round = 1; round <= rounds; round++) {
      const n0 = Date.now();
      await execa('node', ['-e', '0']);
      const node = Date.now() - n0;
      const seen = await applyNewProject(variant, registry, baseImage, `bench/first-build-${variant}-${stamp}-${round}`, round, userCache);
      const empty = mkdtempSync(path.join(os.tmpdir(), 'bench-first-build-user-'));
      const first = await applyNewProject(variant, registry, baseImage, `bench/first-build-${variant}-${stamp}-${round}-first`, round, empty).finally(() =>
        rmSync(empty, { recursive: true, force: true }),
      );
      const row = { variant, round, firstBuild: seen.firstBuild, firstBuildFirstRun: first.firstBuild, runStart: seen.runStart, cpu: seen.cpu, node };
      rows.push(row);
      console.error(
        `${variant} round ${round}: first build at +${row.firstBuild} ms (first run on the machine +${row.firstBuildFirstRun} ms; plan ready +${row.runStart} ms; CPU ${row.cpu.toFixed(2)} s; node -e 0: ${node} ms)`,
      );
    }
  } finally {
    rmSync(userCache, { recursive: true, force: true });
  }
  return rows;
}

/** The user's cache directory (XDG_CACHE_HOME; NODE_COMPILE_CACHE unset so the code cache is there too). */
function userCacheEnv(dir: string): Record<string, string | undefined> {
  return { XDG_CACHE_HOME: dir, NODE_COMPILE_CACHE: undefined };
}

/** One `apply --json` of a new project with an empty cache directory: when its first build started. */
async function applyNewProject(variant: Variant, registry: string, baseImage: string, repository: string, round: number, userCache: string) {
  const dir = mkdtempSync(path.join(ROOT, '.test-env', 'bench-first-build-'));
  const cache = mkdtempSync(path.join(os.tmpdir(), 'bench-first-build-cache-'));
  try {
    writeProject(dir, variant, registry, baseImage, repository, round);
    const spawned = Date.now();
    const r = await execa('/usr/bin/time', ['-f', '%U %S', 'node', path.join(ROOT, 'bin/multiarch.js'), 'apply', '--json'], {
      cwd: dir,
      env: { MULTIARCH_CACHE_DIR: cache, DOCKER_BUILDKIT: '1', ...userCacheEnv(userCache) },
      reject: false,
    });
    if (r.exitCode !== 0) throw new Error(`apply failed:\n${r.stdout}\n${r.stderr}`);
    const [user, sys] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
    const events = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; at: number; id?: string });
    const start = events.find((e) => e.type === 'run:start')!.at;
    const build = events.find((e) => e.type === 'node:start' && e.id?.startsWith('build:'))!.at;
    return { firstBuild: build - spawned, runStart: start - spawned, cpu: user! + sys! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
}

function table(rows: readonly Row[]): string {
  const med = (k: 'firstBuild' | 'firstBuildFirstRun' | 'runStart' | 'cpu' | 'node') => Math.round(median(rows.map((r) => r[k])) * 100) / 100;
  return [
    '| round | first build starts (ms after spawn) | plan ready, run:start (ms) | CPU, whole apply (s) | first build, first run on the machine (ms) | `node -e 0` (ms) |',
    '|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.round} | ${r.firstBuild} | ${r.runStart} | ${r.cpu.toFixed(2)} | ${r.firstBuildFirstRun} | ${r.node} |`),
    `| **median** | **${med('firstBuild')}** | ${med('runStart')} | ${med('cpu').toFixed(2)} | ${med('firstBuildFirstRun')} | ${med('node')} |`,
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const rounds = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 5);
  const before = os.loadavg().map((l) => l.toFixed(1)).join(', ');
  const direct = await firstBuild('direct', rounds);
  const engine = await firstBuild('engine', rounds);
  const after = os.loadavg().map((l) => l.toFixed(1)).join(', ');
  const medDirect = median(direct.map((r) => r.firstBuild));
  const medEngine = median(engine.map((r) => r.firstBuild));
  const body = `Measured ${new Date().toISOString().slice(0, 10)} on ${machineSummary()}; ${rounds} rounds per image; load average ${before} before, ${after} after (shared machine; \`node -e 0\`, timed just before each round, is the floor any Node CLI pays at that moment).

Work: \`multiarch apply --json\` of a new project each round (one image × 2 platforms, a config file never transformed before, an empty cache directory, nothing published, a repository of its own on the test registry), the time from spawning the process to the \`node:start\` event of its first build (event times are the CLI's clock; the same machine's). Two images: RUN-less (\`FROM\` + \`COPY\`: assembled directly, no docker process starts) and with a \`RUN\` (built by the engine with DOCKER_BUILDKIT=1: the docker client is probed, the cache directory being empty). CPU is user+sys of the whole apply, its children included. The first column is a new project on a machine where multiarch has run before: what it keeps per user rather than per project — V8's code cache of its own code (bin/compile-cache.cjs; Node ≥ 22.1 keeps the same cache itself) and which docker clients the machine has (their versions, their buildx plugin) — is there. "First run on the machine" is the same with both empty, as on the first start after installing or on a fresh CI runner.

RUN-less (direct):

${table(direct)}

With a RUN (engine):

${table(engine)}

Target: the first build starts within 0.3 s of process start: direct ${medDirect <= 300 ? 'met' : 'not met'} (median ${medDirect} ms), engine ${medEngine <= 300 ? 'met' : 'not met'} (median ${medEngine} ms).

Reproduce: \`npm run build && node node_modules/jiti/lib/jiti-cli.mjs bench/first-build.ts 5\` (needs the test environment: \`bash scripts/test-env.sh\`).`;
  if (process.argv.includes('--print')) console.log(body);
  else replaceSection(path.join(ROOT, 'docs/benchmarks.md'), 'First build latency', body);
  console.log(`median first build at +${medDirect} ms (direct), +${medEngine} ms (engine)`);
}
