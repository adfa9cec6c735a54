/**
 * bench/incremental-plan: `multiarch plan --offline` on generated monorepos of 100, 200 and 400
 * images × 4 platforms with a warm hash cache — how planning time grows with the config. Each size
 * is planned once online against a throwaway registry first (so base images are resolved and the
 * state store is warm), then timed offline, several rounds; wall time and the CLI's CPU time.
 *
 * Run: npm run build && node node_modules/jiti/lib/jiti-cli.mjs bench/incremental-plan.ts [rounds]
 * Prints a table; bench/incremental.ts writes the "Incremental" section of docs/benchmarks.md.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  /** `current`: the state store says every tag holds its inputs; `unpublished`: nothing published. */
  readonly state: 'current' | 'unpublished';
  readonly wall: number;
  readonly cpu: number;
  readonly rounds: number;
}

interface ChangesJson {
  platforms: Array<{ platform: string; inputs: string; pushes: Array<{ write: string[] }> }>;
  indexes: Array<{ ref: string; node: string }>;
}

/**
 * What this machine's state store holds after an apply published everything: each platform tag
 * with an image recording its inputs, each index listing them. Digests are made up (the offline
 * plan never asks the registry); the shapes are what apply records.
 */
function rememberAllCurrent(dir: string, changes: ChangesJson, indexChildren: Record<string, string[]>): void {
  const at = new Date().toISOString();
  const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
  const tags: Record<string, unknown> = {};
  const byRef = new Map<string, { platform: string; digest: string; inputs: string }>();
  for (const p of changes.platforms) {
    const digest = sha(`image ${p.inputs}`);
    for (const push of p.pushes) for (const ref of push.write) {
      tags[ref] = { at, value: { digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 500, inputs: p.inputs } };
      byRef.set(ref, { platform: p.platform, digest, inputs: p.inputs });
    }
  }
  for (const index of changes.indexes) {
    const children = (indexChildren[index.node] ?? []).map((ref) => {
      const c = byRef.get(ref)!;
      return { platform: c.platform, digest: c.digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 500, inputs: c.inputs };
    });
    tags[index.ref] = { at, value: { digest: sha(JSON.stringify(children)), mediaType: 'application/vnd.oci.image.index.v1+json', size: 900, children } };
  }
  const file = path.join(dir, '.multiarch/cache/state/tags.json');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(tags));
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
  // The cache in the generated tree (where seedRegistryState writes it) unless the caller says otherwise.
  const cache = { MULTIARCH_CACHE_DIR: path.join(cwd, '.multiarch', 'cache') };
  const r = await execa('/usr/bin/time', ['-f', '%U %S', 'node', path.join(ROOT, 'bin/multiarch.js'), ...args], { cwd, env: { NO_COLOR: '1', ...cache, ...env }, reject: false });
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
        const warm = await timeCli(['plan', '--json'], dir);
        if (warm.exitCode !== 0) throw new Error(`plan failed:\n${warm.stdout}`);
        const json = JSON.parse(warm.stdout) as { changes: ChangesJson; images: Array<{ nodes: Array<{ id: string; kind: string; children?: Array<{ node: string }>; refs?: string[] }> }> };
        const measure = async (state: PlanScalingRow['state'], expect: RegExp) => {
          const runs = [];
          for (let i = 0; i < rounds; i++) {
            const r = await timeCli(['plan', '--offline'], dir);
            if (r.exitCode !== 0 || !expect.test(r.stdout)) throw new Error(`unexpected plan (${state}):\n${r.stdout.split('\n').slice(-3).join('\n')}`);
            runs.push(r);
          }
          rows.push({ images, builds: images * PLATFORMS.length, state, wall: median(runs.map((r) => r.wall)), cpu: median(runs.map((r) => r.cpu)), rounds });
          console.error(`plan --offline ${images}×4 (${state}): ${median(runs.map((r) => r.wall)).toFixed(2)} s wall, ${median(runs.map((r) => r.cpu)).toFixed(2)} s CPU`);
        };
        await measure('unpublished', new RegExp(`Plan: ${images * PLATFORMS.length} to build`));
        const nodes = json.images.flatMap((i) => i.nodes);
        const refsOfPush = new Map(nodes.filter((n) => n.kind === 'push').map((n) => [n.id, n.refs ?? []]));
        const indexChildren = Object.fromEntries(nodes.filter((n) => n.kind === 'index').map((n) => [n.id, (n.children ?? []).map((c) => refsOfPush.get(c.node)![0]!)]));
        rememberAllCurrent(dir, json.changes, indexChildren);
        await measure('current', /Plan: 0 to build, 0 to push, 0 indexes to update/);
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
  for (const r of rows) console.log(`${r.images}×4 (${r.builds} builds, ${r.state}): ${r.wall.toFixed(2)} s wall, ${r.cpu.toFixed(2)} s CPU`);
}
