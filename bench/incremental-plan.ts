/**
 * bench/incremental-plan: `multiarch plan --offline` on generated monorepos of 100, 200 and 400
 * images × 4 platforms with a warm hash cache — how planning time grows with the config. Each size
 * is planned once online against a throwaway registry first (so base images are resolved and the
 * state store is warm), then timed offline, several rounds; wall time and the CLI's CPU time.
 *
 * Run: npm run build && node node_modules/jiti/lib/jiti-cli.mjs bench/incremental-plan.ts [rounds]
 * Prints a table; bench/incremental.ts writes the "Incremental" section of docs/benchmarks.md.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { writeMonorepo } from './support/monorepo.js';
import { startRegistry } from './support/registry.js';
import { median } from './support/report.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/ppc64le'];

export interface PlanScalingRow {
  readonly images: number;
  readonly builds: number;
  readonly wall: number;
  readonly cpu: number;
  readonly rounds: number;
}

export function testEnvVars(): Record<string, string> {
  return Object.fromEntries(
    readFileSync(path.join(ROOT, '.test-env/env'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

/** One CLI run: wall seconds and user+system CPU seconds (GNU time). */
export async function timeCli(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<{ wall: number; cpu: number; stdout: string; exitCode: number }> {
  const start = process.hrtime.bigint();
  const r = await execa('/usr/bin/time', ['-f', '%U %S', 'node', path.join(ROOT, 'bin/multiarch.js'), ...args], { cwd, env: { NO_COLOR: '1', ...env }, reject: false });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const [user, sys] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wall, cpu: user! + sys!, stdout: r.stdout, exitCode: r.exitCode ?? -1 };
}

export async function planScaling(sizes: readonly number[], rounds: number): Promise<PlanScalingRow[]> {
  const { MULTIARCH_TEST_BASE_IMAGE: baseImage = '127.0.0.1:5000/hermetic/busybox:latest' } = testEnvVars();
  const registry = await startRegistry();
  const rows: PlanScalingRow[] = [];
  try {
    for (const images of sizes) {
      const dir = mkdtempSync(path.join(ROOT, '.test-env', `bench-plan-${images}-`));
      try {
        writeMonorepo({ dir, images, platforms: PLATFORMS, registry: registry.host, baseImage });
        // Warm: hash cache, base images resolved, every tag seen (missing) once.
        const warm = await timeCli(['plan'], dir);
        if (warm.exitCode !== 0) throw new Error(`plan failed:\n${warm.stdout}`);
        const runs = [];
        for (let i = 0; i < rounds; i++) runs.push(await timeCli(['plan', '--offline'], dir));
        rows.push({ images, builds: images * PLATFORMS.length, wall: median(runs.map((r) => r.wall)), cpu: median(runs.map((r) => r.cpu)), rounds });
        console.error(`plan --offline ${images}×4: ${median(runs.map((r) => r.wall)).toFixed(2)} s wall, ${median(runs.map((r) => r.cpu)).toFixed(2)} s CPU`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await registry.stop();
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const rows = await planScaling([100, 200, 400], Number(process.argv[2] ?? 5));
  for (const r of rows) console.log(`${r.images}×4 (${r.builds} builds): ${r.wall.toFixed(2)} s wall, ${r.cpu.toFixed(2)} s CPU`);
  void os;
}
