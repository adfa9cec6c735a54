/**
 * bench/noop-root-context: the layout monorepos use most — one image built from the repository
 * root (`context: '.'`, holding multiarch.config.ts and multiarch's own state; no .dockerignore),
 * 2 platforms, already published — a no-op `multiarch apply` against the seed's docker flow
 * (`docker build` ×2, `docker push` ×2, `docker manifest rm` + `create` (an amend),
 * `docker manifest push`: bench/docker-cli-seed.sh) re-run on a warm BuildKit cache. Same machine, same run, alternating
 * who goes first; every multiarch run must end with every node cached (else the round fails).
 *
 * Run: npm run build && node node_modules/jiti/lib/jiti-cli.mjs bench/noop-root-context.ts [rounds]
 * `--cache-outside`: MULTIARCH_CACHE_DIR set outside the project (for builds of multiarch that
 * still keep their cache in the project by default).
 * Writes the "No-op apply, root context" section of docs/benchmarks.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { testEnvVars, timeCli } from './incremental-plan.js';
import { startRegistry } from './support/registry.js';
import { machineSummary, median, replaceSection } from './support/report.js';
import { timed } from './support/timing.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DOCKER = '/usr/bin/docker';

interface Row {
  readonly round: number;
  readonly multiarch: number;
  readonly cpu: number;
  readonly docker: number;
}

function writeProject(dir: string, registry: string, baseImage: string): void {
  writeFileSync(path.join(dir, 'Dockerfile'), 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY services/api /app\n');
  rmSync(path.join(dir, 'services'), { recursive: true, force: true });
  for (const file of ['main.txt', 'config.txt']) {
    const p = path.join(dir, 'services/api', file);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, `${file}\n`);
  }
  writeFileSync(path.join(dir, 'README.md'), '# a monorepo\n');
  writeFileSync(
    path.join(dir, 'multiarch.config.ts'),
    `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { bench: { url: '${registry}', insecure: true } },
  images: {
    api: {
      context: '.',
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: ['v1'],
      args: { BASE_IMAGE: '${baseImage}' },
      publish: [{ registry: 'bench', repository: 'bench/noop-root' }],
    },
  },
});
`,
  );
}

async function seedFlow(registry: string, dir: string, baseImage: string): Promise<void> {
  await execa('bash', [path.join(ROOT, 'bench/docker-cli-seed.sh'), `${registry}/bench/noop-root-docker`, dir, baseImage], { env: { DOCKER }, stdio: 'inherit' });
}

async function noopRootContext(rounds: number): Promise<{ rows: Row[]; load: [string, string] }> {
  const { MULTIARCH_TEST_BASE_IMAGE: baseImage = '127.0.0.1:5000/hermetic/busybox:latest' } = testEnvVars();
  const registry = await startRegistry();
  const dir = mkdtempSync(path.join(ROOT, '.test-env', 'bench-noop-root-'));
  const rows: Row[] = [];
  const cacheDir = process.argv.includes('--cache-outside') ? mkdtempSync(path.join(os.tmpdir(), 'bench-noop-root-cache-')) : undefined;
  const cli = (args: string[]) => timeCli(args, dir, cacheDir ? { MULTIARCH_CACHE_DIR: cacheDir } : {});
  const before = os.loadavg().map((l) => l.toFixed(1)).join(', ');
  try {
    writeProject(dir, registry.host, baseImage);
    const first = await cli(['apply']);
    if (first.exitCode !== 0) throw new Error(`first apply failed:\n${first.stdout}`);
    await seedFlow(registry.host, dir, baseImage);
    for (let round = 1; round <= rounds; round++) {
      const apply = async () => {
        const r = await cli(['apply']);
        if (r.exitCode !== 0 || !/: \d+ cached; 0 refs written/.test(r.stdout)) throw new Error(`round ${round}: the no-op apply did work:\n${r.stdout}`);
        return r;
      };
      let m: { wall: number; cpu: number };
      let docker: number;
      if (round % 2) {
        m = await apply();
        docker = await timed(() => seedFlow(registry.host, dir, baseImage));
      } else {
        docker = await timed(() => seedFlow(registry.host, dir, baseImage));
        m = await apply();
      }
      rows.push({ round, multiarch: m.wall, cpu: m.cpu, docker });
      console.error(`round ${round}: multiarch ${m.wall.toFixed(2)} s (CPU ${m.cpu.toFixed(2)} s), seed docker flow ${docker.toFixed(2)} s`);
    }
  } finally {
    await execa(DOCKER, ['image', 'rm', '--force', `${registry.host}/bench/noop-root-docker:v1-amd64`, `${registry.host}/bench/noop-root-docker:v1-arm64`], { reject: false });
    rmSync(dir, { recursive: true, force: true });
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
    await registry.stop();
  }
  return { rows, load: [before, os.loadavg().map((l) => l.toFixed(1)).join(', ')] };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { rows, load } = await noopRootContext(Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 5));
  const outside = process.argv.includes('--cache-outside')
    ? ' This run set `MULTIARCH_CACHE_DIR` outside the project (the default once the cache moves to the user cache directory).'
    : '';
  const med = (k: keyof Row) => median(rows.map((r) => r[k]));
  const ratio = med('multiarch') / med('docker');
  const table = [
    '| round | multiarch apply (s) | CPU (s) | seed docker flow (s) | ratio |',
    '|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.round} | ${r.multiarch.toFixed(2)} | ${r.cpu.toFixed(2)} | ${r.docker.toFixed(2)} | ${(r.multiarch / r.docker).toFixed(2)} |`),
    `| **median** | **${med('multiarch').toFixed(2)}** | ${med('cpu').toFixed(2)} | **${med('docker').toFixed(2)}** | **${ratio.toFixed(2)}** |`,
  ].join('\n');
  replaceSection(
    path.join(ROOT, 'docs/benchmarks.md'),
    'No-op apply, root context',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machineSummary()}; ${rows.length} rounds, alternating who goes first; load average ${load[0]} before, ${load[1]} after (the machine is shared with other test suites: wall times carry noise).

Work: one image built from the repository root (\`context: '.'\`, \`COPY services/api /app\`), the directory that also holds \`multiarch.config.ts\`, a README and multiarch's own state, with no \`.dockerignore\`; 2 platforms (linux/amd64, linux/arm64 under QEMU), published to a throwaway registry.${outside} multiarch: \`multiarch apply\` with nothing to do (every node cached; the round fails otherwise). Baseline: the seed's docker flow (\`bench/docker-cli-seed.sh\`: \`docker build\` ×2, \`docker push\` ×2, \`docker manifest rm\` + \`create\` (an amend), \`docker manifest push\`) re-run on a warm BuildKit cache, \`/usr/bin/docker\`.

${table}

Target ratio ≤ 0.2: ${ratio <= 0.2 ? 'met' : 'not met'} (median ${ratio.toFixed(2)}).

Reproduce: \`npm run build && node node_modules/jiti/lib/jiti-cli.mjs bench/noop-root-context.ts 5\` (needs the test environment: \`bash scripts/test-env.sh\`).`,
  );
  console.log(`median: multiarch ${med('multiarch').toFixed(2)} s, seed docker flow ${med('docker').toFixed(2)} s, ratio ${ratio.toFixed(3)}`);
}
