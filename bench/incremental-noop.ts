/**
 * bench/incremental-noop: a generated monorepo of 20 images × 2 platforms, all current in the
 * registry: `multiarch apply` (nothing to do: every node cached) against `docker build` of the same
 * 40 builds with BuildKit and everything cached — sequentially, as a CI script would run them, and
 * 4 at a time (multiarch's default concurrency). Same machine, same run, alternating who goes first.
 *
 * Run: npm run build && node node_modules/jiti/lib/jiti-cli.mjs bench/incremental-noop.ts [rounds]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { testEnvVars, timeCli } from './incremental-plan.js';
import { writeMonorepo } from './support/monorepo.js';
import { startRegistry } from './support/registry.js';
import { median } from './support/report.js';
import { timed } from './support/timing.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DOCKER = '/usr/bin/docker';
const IMAGES = 20;
const PLATFORMS = ['linux/amd64', 'linux/arm64'];

export interface NoopRow {
  readonly round: number;
  readonly multiarch: number;
  readonly multiarchCpu: number;
  readonly dockerSequential: number;
  readonly dockerParallel: number;
}

/** The 40 `docker build`s multiarch would run, with the same args, on the same builder. */
function dockerBuilds(dir: string, baseImage: string): string[][] {
  return Array.from({ length: IMAGES }, (_, i) => i).flatMap((i) =>
    PLATFORMS.map((platform) => [
      'build',
      '--quiet',
      '--platform',
      platform,
      '--build-arg',
      `BASE_IMAGE=${baseImage}`,
      '--tag',
      `bench-noop/svc${i}:v1-${platform.replaceAll('/', '-')}`,
      path.join(dir, 'services', `svc${i}`),
    ]),
  );
}

async function runBuilds(builds: string[][], parallel: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < builds.length) {
      const args = builds[next++]!;
      await execa(DOCKER, args, { env: { DOCKER_BUILDKIT: '1' }, stdin: 'ignore' });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

export async function noopApply(rounds: number): Promise<NoopRow[]> {
  const { MULTIARCH_TEST_BASE_IMAGE: baseImage = '127.0.0.1:5000/hermetic/busybox:latest' } = testEnvVars();
  const registry = await startRegistry();
  const dir = mkdtempSync(path.join(ROOT, '.test-env', 'bench-noop-'));
  const rows: NoopRow[] = [];
  try {
    writeMonorepo({ dir, images: IMAGES, platforms: PLATFORMS, registry: registry.host, baseImage, run: true });
    // Publish everything once (and fill BuildKit's cache for the docker side).
    const first = await timeCli(['apply'], dir);
    if (first.exitCode !== 0) throw new Error(`first apply failed:\n${first.stdout}`);
    const builds = dockerBuilds(dir, baseImage);
    await runBuilds(builds, 4);
    console.error(`published ${IMAGES}×${PLATFORMS.length} in ${first.wall.toFixed(1)} s; BuildKit cache warm`);
    for (let round = 1; round <= rounds; round++) {
      const apply = async () => {
        const r = await timeCli(['apply'], dir);
        if (r.exitCode !== 0 || !r.stdout.includes(`${IMAGES * PLATFORMS.length * 2 + IMAGES} cached`)) throw new Error(`no-op apply did work:\n${r.stdout}`);
        return r;
      };
      let m: { wall: number; cpu: number };
      let seq: number;
      if (round % 2) {
        m = await apply();
        seq = await timed(() => runBuilds(builds, 1));
      } else {
        seq = await timed(() => runBuilds(builds, 1));
        m = await apply();
      }
      const par = await timed(() => runBuilds(builds, 4));
      rows.push({ round, multiarch: m.wall, multiarchCpu: m.cpu, dockerSequential: seq, dockerParallel: par });
      console.error(`round ${round}: multiarch ${m.wall.toFixed(2)} s, docker build ×40 ${seq.toFixed(2)} s sequential, ${par.toFixed(2)} s 4 at a time`);
    }
  } finally {
    await execa(DOCKER, ['image', 'rm', '--force', ...Array.from({ length: IMAGES }, (_, i) => PLATFORMS.map((p) => `bench-noop/svc${i}:v1-${p.replaceAll('/', '-')}`)).flat()], { reject: false });
    rmSync(dir, { recursive: true, force: true });
    await registry.stop();
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const rows = await noopApply(Number(process.argv[2] ?? 3));
  const med = (k: keyof NoopRow) => median(rows.map((r) => r[k]));
  console.log(`median: multiarch ${med('multiarch').toFixed(2)} s; docker ${med('dockerSequential').toFixed(2)} s sequential (ratio ${(med('multiarch') / med('dockerSequential')).toFixed(3)}), ${med('dockerParallel').toFixed(2)} s 4 at a time (ratio ${(med('multiarch') / med('dockerParallel')).toFixed(3)})`);
}
