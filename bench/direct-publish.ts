/**
 * bench/direct-publish: a RUN-less three-platform image (linux/amd64, linux/arm64, linux/arm/v7:
 * busybox base, a static-site-like tree of files COPY'd in, config instructions) published cold,
 * `multiarch apply` (assembled directly: no engine, no QEMU) against the seed's docker flow for the
 * same three platforms (build ×3, push ×3, `docker manifest create`/`annotate`/`push`), in one run,
 * several rounds; then a 20-image RUN-less monorepo cold: total time and peak memory.
 *
 * "Cold" on both sides: every round writes new file contents (no layer of it exists anywhere), pushes
 * to a fresh, empty registry of its own, and multiarch gets an empty cache directory (its base
 * layers are fetched again). The shared engine's build cache is never pruned (machine etiquette):
 * the docker side keeps its pulled base, which favours it.
 *
 * Run: npm run build && node node_modules/jiti/lib/jiti-cli.mjs bench/direct-publish.ts [rounds]
 * Writes the "Direct publish" section of docs/benchmarks.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { testEnvVars } from './incremental-plan.js';
import { startRegistry, type ThrowawayRegistry } from './support/registry.js';
import { machineSummary, median, replaceSection } from './support/report.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DOCKER = '/usr/bin/docker';
const rounds = Number(process.argv[2] ?? 3);
const PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/arm/v7'] as const;
const env = testEnvVars();
const baseImage = env.MULTIARCH_TEST_BASE_IMAGE ?? '127.0.0.1:5000/hermetic/busybox:latest';

/** A site: a Dockerfile without RUN and 40 files (~2 MiB) whose contents are new every call. */
function writeSite(dir: string, stamp: string): void {
  mkdirSync(path.join(dir, 'dist/assets'), { recursive: true });
  writeFileSync(
    path.join(dir, 'Dockerfile'),
    `FROM ${baseImage}\nENV SITE=/srv/www\nLABEL org.example.site=bench\nWORKDIR /srv/www\nCOPY dist/ ./\nEXPOSE 8080\nCMD ["httpd", "-f", "-p", "8080", "-h", "/srv/www"]\n`,
  );
  for (let i = 0; i < 40; i++) writeFileSync(path.join(dir, `dist/assets/f${i}.js`), `${stamp} ${i} `.repeat(4000));
  writeFileSync(path.join(dir, 'dist/index.html'), `<h1>${stamp}</h1>\n`);
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** The seed's flow, one platform after the other. */
async function dockerFlow(registry: ThrowawayRegistry, context: string, stamp: string): Promise<void> {
  const repo = `${registry.host}/bench/site-${stamp}`;
  const docker = (...args: string[]) => execa(DOCKER, args, { env: { DOCKER_BUILDKIT: '1' }, stdin: 'ignore' });
  const tag = (p: string) => `${repo}:v1-${p.replace(/\//g, '-')}`;
  for (const p of PLATFORMS) await docker('build', '-q', '--platform', p, '-t', tag(p), context);
  for (const p of PLATFORMS) await docker('push', '-q', tag(p));
  await docker('manifest', 'create', '--insecure', `${repo}:v1`, ...PLATFORMS.map(tag));
  for (const p of PLATFORMS) {
    const [os_, arch, variant] = p.split('/');
    await docker('manifest', 'annotate', '--os', os_!, '--arch', arch!, ...(variant ? ['--variant', variant] : []), `${repo}:v1`, tag(p));
  }
  await docker('manifest', 'push', '--insecure', `${repo}:v1`);
  await execa(DOCKER, ['rmi', '--force', ...PLATFORMS.map(tag)], { reject: false });
}

/** `multiarch apply` with no engine reachable: peak RSS in MiB and CPU seconds, user + sys (GNU time's %M, %U, %S). */
async function multiarch(dir: string, images: Record<string, string>, registry: ThrowawayRegistry): Promise<{ rss: number; cpu: number }> {
  const entries = Object.entries(images)
    .map(([name, ctx]) => `    ${JSON.stringify(name)}: { context: ${JSON.stringify(ctx)}, platforms: ${JSON.stringify(PLATFORMS)}, tags: ['v1'], publish: [{ registry: 'local', repository: 'bench/${name}' }] },`)
    .join('\n');
  const config = path.join(dir, 'multiarch.config.ts');
  writeFileSync(config, `import { defineConfig } from 'multiarch';\nexport default defineConfig({\n  registries: { local: { url: '${registry.host}', insecure: true } },\n  images: {\n${entries}\n  },\n});\n`);
  const r = await execa('/usr/bin/time', ['-f', '%M %U %S', 'node', path.join(ROOT, 'bin/multiarch.js'), 'apply', '--config', config], {
    env: { MULTIARCH_CACHE_DIR: path.join(dir, 'cache'), NO_COLOR: '1', DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    reject: false,
  });
  if (r.exitCode !== 0) throw new Error(`multiarch apply failed:\n${r.stdout}\n${r.stderr}`);
  const [rss, user, sys] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { rss: rss! / 1024, cpu: user! + sys! };
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg();
  const rows: Array<{ cli: number; tool: number; rss: number; cpu: number }> = [];
  for (let i = 0; i < rounds; i++) {
    const work = mkdtempSync(path.join(os.tmpdir(), 'direct18-bench-'));
    const [a, b] = [await startRegistry(), await startRegistry()];
    try {
      const stamp = `${Date.now().toString(36)}-${i}`;
      writeSite(path.join(work, 'site'), stamp);
      let used = { rss: 0, cpu: 0 };
      // Alternate who goes first, so drift hits both alike.
      const tool = async () => timed(async () => (used = await multiarch(path.join(work), { site: path.join(work, 'site') }, b)));
      const cli = async () => timed(() => dockerFlow(a, path.join(work, 'site'), stamp));
      let tCli: number;
      let tTool: number;
      if (i % 2 === 0) {
        tCli = await cli();
        tTool = await tool();
      } else {
        tTool = await tool();
        tCli = await cli();
      }
      rows.push({ cli: tCli, tool: tTool, ...used });
      console.error(`round ${i + 1}/${rounds}: docker flow ${tCli.toFixed(2)}s, multiarch direct ${tTool.toFixed(2)}s (CPU ${used.cpu.toFixed(2)}s), ratio ${(tTool / tCli).toFixed(2)}`);
    } finally {
      await a.stop();
      await b.stop();
      rmSync(work, { recursive: true, force: true });
    }
  }
  // 20 RUN-less images × 3 platforms, cold.
  const work = mkdtempSync(path.join(os.tmpdir(), 'direct18-bench-mono-'));
  const registry = await startRegistry();
  let mono = { seconds: 0, rss: 0 };
  try {
    const images: Record<string, string> = {};
    for (let i = 0; i < 20; i++) {
      const dir = path.join(work, `svc-${i}`);
      writeSite(dir, `${Date.now().toString(36)}-svc${i}`);
      images[`svc-${i}`] = dir;
    }
    let rss = 0;
    const seconds = await timed(async () => (rss = (await multiarch(work, images, registry)).rss));
    mono = { seconds, rss };
    console.error(`monorepo: 20 images × 3 platforms in ${seconds.toFixed(2)}s, peak ${rss.toFixed(0)} MiB`);
  } finally {
    await registry.stop();
    rmSync(work, { recursive: true, force: true });
  }
  const loadAfter = os.loadavg();
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(', ');
  const cli = median(rows.map((r) => r.cli));
  const tool = median(rows.map((r) => r.tool));
  const lines = [
    'What: a RUN-less three-platform image (busybox base, 41 files ≈ 2 MiB COPY\'d, config instructions) published cold by `multiarch apply` — assembled directly, with `DOCKER_HOST` pointing nowhere — against the seed\'s docker flow for the same platforms in the same run (`docker build` ×3, `docker push` ×3, `docker manifest create` / `annotate` ×3 / `push`). Then 20 such images × 3 platforms in one config, cold.',
    '',
    'How: `npm run build && node node_modules/jiti/lib/jiti-cli.mjs bench/direct-publish.ts [rounds]` (see the script for what "cold" means: new file contents each round, fresh registries, empty multiarch cache; the shared engine\'s build cache is not pruned, which favours docker).',
    '',
    '| round | docker flow (s) | multiarch direct (s) | multiarch CPU, user+sys (s) | ratio | multiarch peak RSS (MiB) |',
    '|---|---|---|---|---|---|',
    ...rows.map((r, i) => `| ${i + 1} | ${r.cli.toFixed(2)} | ${r.tool.toFixed(2)} | ${r.cpu.toFixed(2)} | ${(r.tool / r.cli).toFixed(2)} | ${r.rss.toFixed(0)} |`),
    `| median | ${cli.toFixed(2)} | ${tool.toFixed(2)} | ${median(rows.map((r) => r.cpu)).toFixed(2)} | **${(tool / cli).toFixed(2)}** | |`,
    '',
    `Target ratio ≤ 0.3: ${tool / cli <= 0.3 ? 'met' : 'not met'} (${(tool / cli).toFixed(2)}).`,
    '',
    `20-image RUN-less monorepo, 3 platforms each (60 platform images, 20 indexes), cold: **${mono.seconds.toFixed(1)} s** total, peak memory **${mono.rss.toFixed(0)} MiB** (the CLI process, GNU time's max RSS).`,
    '',
    `Machine: ${machineSummary()}; load average ${load(loadBefore)} before, ${load(loadAfter)} after (2 cores shared with other sessions running builds and tests at the same time, so absolute times vary between runs — the ratio within one round is the number to read, and the CPU column is the one that compares runs on different moments).`,
  ];
  replaceSection(path.join(ROOT, 'docs/benchmarks.md'), 'Direct publish (RUN-less images, no engine)', lines.join('\n'));
}

await main();
