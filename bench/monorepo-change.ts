/**
 * bench/monorepo-change: 20 services built from the repository root (`context: '.'`, each
 * Dockerfile copying its own folder and a shared library), all published; then one service's file
 * changes. multiarch `apply` must run 2 builds (that service × 2 platforms) and push only it,
 * against `docker build` of all 40 (same root context, BuildKit cache warm: 38 cached, 2 rebuilt)
 * — sequentially, as a CI script would. Each round changes another service. Same machine, same run.
 *
 * Run: npm run build && node node_modules/jiti/lib/jiti-cli.mjs bench/monorepo-change.ts [rounds]
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
const IMAGES = 20;
const PLATFORMS = ['linux/amd64', 'linux/arm64'];

interface Row {
  readonly round: number;
  readonly service: string;
  readonly builds: number;
  readonly multiarch: number;
  readonly docker: number;
}

function writeRepo(dir: string, registry: string, baseImage: string): void {
  mkdirSync(path.join(dir, 'libs/common'), { recursive: true });
  writeFileSync(path.join(dir, 'libs/common/lib.txt'), 'common\n');
  writeFileSync(path.join(dir, 'README.md'), '# monorepo\n');
  for (let i = 0; i < IMAGES; i++) {
    const svc = path.join(dir, 'services', `svc${i}`);
    mkdirSync(path.join(svc, 'src'), { recursive: true });
    writeFileSync(path.join(svc, 'Dockerfile'), `FROM ${baseImage}\nCOPY services/svc${i}/src /app\nCOPY libs/common /lib\n`);
    writeFileSync(path.join(svc, 'src/main.txt'), `service ${i}\n`);
  }
  writeFileSync(
    path.join(dir, 'multiarch.config.ts'),
    `import { defineConfig } from 'multiarch';
const services = Array.from({ length: ${IMAGES} }, (_, i) => \`svc\${i}\`);
export default defineConfig({
  registries: { local: { url: '${registry}', insecure: true } },
  images: Object.fromEntries(services.map((name) => [name, {
    context: '.',
    dockerfile: \`services/\${name}/Dockerfile\`,
    platforms: ${JSON.stringify(PLATFORMS)},
    tags: ['v1'],
    publish: [{ registry: 'local', repository: \`bench-monorepo/\${name}\` }],
  }])),
});
`,
  );
}

const dockerBuilds = (dir: string): string[][] =>
  Array.from({ length: IMAGES }, (_, i) => i).flatMap((i) =>
    PLATFORMS.map((platform) => ['build', '--quiet', '--platform', platform, '-f', path.join(dir, 'services', `svc${i}`, 'Dockerfile'), '--tag', `bench-monorepo/svc${i}:v1-${platform.replaceAll('/', '-')}`, dir]),
  );

async function runSequential(builds: string[][]): Promise<void> {
  for (const args of builds) await execa(DOCKER, args, { env: { DOCKER_BUILDKIT: '1' }, stdin: 'ignore' });
}

/** Build nodes that ran the builder (they print build output). */
function buildsRun(stdout: string): number {
  const ids = new Set<string>();
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const e = JSON.parse(line) as { type?: string; id?: string };
    if (e.type === 'node:output' && e.id?.startsWith('build:')) ids.add(e.id);
  }
  return ids.size;
}

export async function monorepoChange(rounds: number): Promise<Row[]> {
  const { MULTIARCH_TEST_BASE_IMAGE: baseImage = '127.0.0.1:5000/hermetic/busybox:latest' } = testEnvVars();
  const registry = await startRegistry();
  const dir = mkdtempSync(path.join(ROOT, '.test-env', 'bench-monorepo-'));
  const env = { XDG_CACHE_HOME: path.join(dir, '..', `${path.basename(dir)}-xdg`) };
  const rows: Row[] = [];
  try {
    writeRepo(dir, registry.host, baseImage);
    const first = await timeCli(['apply'], dir, env);
    if (first.exitCode !== 0) throw new Error(`first apply failed:\n${first.stdout}`);
    const builds = dockerBuilds(dir);
    await runSequential(builds);
    console.error(`published ${IMAGES}×${PLATFORMS.length} in ${first.wall.toFixed(1)} s; BuildKit cache warm`);
    for (let round = 1; round <= rounds; round++) {
      const service = `svc${(round * 7) % IMAGES}`;
      appendFileSync(path.join(dir, 'services', service, 'src/main.txt'), `change ${round}\n`);
      const m = await timeCli(['apply', '--json'], dir, env);
      if (m.exitCode !== 0) throw new Error(`apply failed:\n${m.stdout}`);
      const docker = await timed(() => runSequential(builds));
      rows.push({ round, service, builds: buildsRun(m.stdout), multiarch: m.wall, docker });
      console.error(`round ${round} (${service} changed): multiarch ${m.wall.toFixed(2)} s, ${rows.at(-1)!.builds} builds; docker build ×40 ${docker.toFixed(2)} s`);
    }
  } finally {
    await execa(DOCKER, ['image', 'rm', '--force', ...Array.from({ length: IMAGES }, (_, i) => PLATFORMS.map((p) => `bench-monorepo/svc${i}:v1-${p.replaceAll('/', '-')}`)).flat()], { reject: false });
    rmSync(dir, { recursive: true, force: true });
    rmSync(env.XDG_CACHE_HOME, { recursive: true, force: true });
    await registry.stop();
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const rows = await monorepoChange(Number(process.argv[2] ?? 3));
  const m = median(rows.map((r) => r.multiarch));
  const d = median(rows.map((r) => r.docker));
  const f2 = (n: number) => n.toFixed(2);
  replaceSection(
    path.join(ROOT, 'docs/benchmarks.md'),
    'Monorepo: one service changed (bench/monorepo-change.ts)',
    `What: 20 services built from the repository root (\`context: '.'\`, \`dockerfile: services/<name>/Dockerfile\`, each \`COPY services/<name>/src /app\` and \`COPY libs/common /lib\`, no .dockerignore), 2 platforms, all published; then one service's file changes. multiarch \`apply\` (inputs = the files each build reads) against \`docker build\` of all 40 from the root with BuildKit's cache warm (38 cached, 2 rebuilt), sequentially, as a CI script would; the docker side pushes nothing, multiarch pushes the changed service's 2 images and its index. Target: builds run = 2 (that service × 2 platforms).

How to run: \`npm run build && node node_modules/jiti/lib/jiti-cli.mjs bench/monorepo-change.ts [rounds]\` (needs the e2e test env: dockerd, registry, hermetic base).

| round | service changed | builds run by multiarch | multiarch apply (s) | docker build ×40 (s) |
|---|---|---|---|---|
${rows.map((r) => `| ${r.round} | ${r.service} | ${r.builds} | ${f2(r.multiarch)} | ${f2(r.docker)} |`).join('\n')}

Median: multiarch ${f2(m)} s (build, push, index write included) vs docker ${f2(d)} s (builds only): ratio ${(m / d).toFixed(2)}. Builds run: ${rows.map((r) => r.builds).join(', ')} (target 2 each).

Machine: ${machineSummary()}; shared by several people running builds and tests at the same time, so absolute times are noisy — compare the columns of one round.`,
  );
  console.log(`median: multiarch ${f2(m)} s, docker ${f2(d)} s, ratio ${(m / d).toFixed(2)}; builds ${rows.map((r) => r.builds).join(',')}`);
}
