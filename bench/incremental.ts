/**
 * bench/incremental: the three incremental benchmarks in one run, written to the "Incremental"
 * section of docs/benchmarks.md (other sections are left as they are):
 * - no-op apply of 20 images × 2 platforms, all current, against `docker build` of the same 40
 *   builds with everything cached (bench/incremental-noop.ts);
 * - `plan --offline` on 100/200/400 images × 4 platforms with a warm hash cache
 *   (bench/incremental-plan.ts);
 * - hashing a 1 GiB context against git hash-object and sha256sum (bench/incremental-hash.ts).
 *
 * Run: npm run build && node node_modules/jiti/lib/jiti-cli.mjs bench/incremental.ts [rounds]
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { hashThroughput } from './incremental-hash.js';
import { noopApply } from './incremental-noop.js';
import { planScaling } from './incremental-plan.js';
import { machineSummary, median, replaceSection } from './support/report.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rounds = Number(process.argv[2] ?? 3);
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(', ');
const f2 = (n: number) => n.toFixed(2);

const loadBefore = load();
const noop = await noopApply(rounds);
const plans = await planScaling([100, 200, 400], Math.max(rounds * 3, 9));
const hashes = await hashThroughput(rounds);
const loadAfter = load();

const med = (k: 'multiarch' | 'multiarchCpu' | 'dockerSequential' | 'dockerParallel') => median(noop.map((r) => r[k]));
const ratioSeq = med('multiarch') / med('dockerSequential');
const ratioPar = med('multiarch') / med('dockerParallel');
const p = (images: number, state: 'current' | 'unpublished') => plans.find((r) => r.images === images && r.state === state)!;
const slope = (state: 'current' | 'unpublished') => (p(400, state).wall - p(100, state).wall) / 300;
const linearity = (state: 'current' | 'unpublished') => {
  // Predicted 200 from the line through 100 and 400, against the measured 200.
  const predicted = p(100, state).wall + slope(state) * 100;
  return ((p(200, state).wall - predicted) / predicted) * 100;
};
const hash = (tool: string) => hashes.rows.find((r) => r.tool.startsWith(tool))!;

const body = `
Measured ${new Date().toISOString().slice(0, 10)} on ${machineSummary()}; load average ${loadBefore} before, ${loadAfter} after (the machine is shared: other test suites ran meanwhile, so wall times carry noise — CPU times are given where they help). Reproduce: \`npm run build && node node_modules/jiti/lib/jiti-cli.mjs bench/incremental.ts ${rounds}\` (needs the test environment: \`bash scripts/test-env.sh\`).

### No-op apply: 20 images × 2 platforms, all current

A generated monorepo (\`bench/support/monorepo.ts\`: 20 services, each \`FROM\` the hermetic busybox with a \`RUN\` and a \`COPY\`), published once to a throwaway registry; then, in the same run, \`multiarch apply\` (nothing to do: all ${20 * 2 * 2 + 20} nodes end cached — no builder invocation and no registry write, which test/e2e/incremental.test.ts proves through a recording proxy) against the same 40 \`docker build\`s with BuildKit (\`/usr/bin/docker\`, \`DOCKER_BUILDKIT=1\`), every step cached — one after the other as a CI script runs them, and 4 at a time. The two sides alternate who goes first.

| round | multiarch apply (s) | CPU (s) | docker build ×40, sequential (s) | docker build ×40, 4 at a time (s) |
|---:|---:|---:|---:|---:|
${noop.map((r) => `| ${r.round} | ${f2(r.multiarch)} | ${f2(r.multiarchCpu)} | ${f2(r.dockerSequential)} | ${f2(r.dockerParallel)} |`).join('\n')}
| **median** | **${f2(med('multiarch'))}** | ${f2(med('multiarchCpu'))} | **${f2(med('dockerSequential'))}** | **${f2(med('dockerParallel'))}** |

Ratio multiarch / docker: **${ratioSeq.toFixed(3)}** against the sequential builds, **${ratioPar.toFixed(3)}** against 4 at a time. Target ≤ 0.1: ${ratioSeq <= 0.1 && ratioPar <= 0.1 ? 'met' : 'not met'}. What multiarch does: load the config, probe Docker, hash 20 contexts (warm hash cache), resolve the base image (one HEAD), HEAD 40 platform tags and 20 index tags; each \`docker build\` instead starts a client, sends its context and has BuildKit resolve the base and check every step's cache.

### plan --offline: 100 / 200 / 400 images × 4 platforms, warm hash cache

Generated monorepos as above with 4 platforms (\`linux/amd64\`, \`linux/arm64\`, \`linux/arm/v7\`, \`linux/ppc64le\`); planned once online first (hash cache and base images warm), then \`plan --offline\` timed ${Math.max(rounds * 3, 9)} times (median), in two states: nothing published (every platform \`+ create\`, the longest output), and all current (the state store says every tag holds an image with today's inputs — what it holds after an apply; the digests are made up, since an offline plan never asks the registry).

| images × platforms | builds | state | wall (s) | CPU (s) |
|---:|---:|---|---:|---:|
${plans.map((r) => `| ${r.images} × 4 | ${r.builds} | ${r.state} | ${f2(r.wall)} | ${f2(r.cpu)} |`).join('\n')}

Growth: about ${(slope('current') * 100).toFixed(2)} s per 100 images (current; ${(slope('unpublished') * 100).toFixed(2)} s unpublished) on top of a fixed ${f2(p(100, 'current').wall - slope('current') * 100)} s. The per-size steps are small next to the run-to-run noise of this shared machine (tens of milliseconds), so linearity is only roughly visible: the 200-image time is ${Math.abs(linearity('current')).toFixed(0)} % (current) and ${Math.abs(linearity('unpublished')).toFixed(0)} % (unpublished) off the straight line through 100 and 400; nothing in the planner is worse than linear in the number of nodes (the one quadratic step, the topological order, was replaced by a heap). Target 400 × 4 under 1 s: ${p(400, 'current').wall < 1 && p(400, 'unpublished').wall < 1 ? 'met' : '**not met**'} (${f2(p(400, 'current').wall)} s current, ${f2(p(400, 'unpublished').wall)} s unpublished${Math.max(p(400, 'current').wall, p(400, 'unpublished').wall) > 0.85 && Math.max(p(400, 'current').wall, p(400, 'unpublished').wall) < 1 ? ' — narrowly: on a busier moment of this shared machine the same runs took 1.1–1.7 s' : ''}). Where the time goes (CPU profile of 400 × 4): about half a second before any planning — Node loading ~150 ES modules (multiarch's and zod/execa/jiti), jiti transpiling the config, zod validating it, spawning \`docker version\`, probing the engine and three \`git\` calls; then per image ≈ ${(slope('current') * 1000).toFixed(1)} ms: walking and stat-ing its context (the hash cache spares every read), parsing its Dockerfile per platform, computing 4 inputs digests, deciding, and printing. Already done to get here: a heap-based topological order (it was quadratic), one hash-cache file for all contexts, synchronous directory walks and Dockerfile reads, one decision pass instead of two, no per-image scans in the text and JSON output. Left: bundling the CLI into one file (module loading) and caching the Docker probe would take most of the fixed part.

### Hashing a 1 GiB context

${hashes.files} files of 512 KiB (random content) in 32 directories, generated in \`/tmp\` and deleted after; page cache warm for every tool (the files were just written). Median of ${rounds}.

| tool | time (s) | throughput (MiB/s) |
|---|---:|---:|
${hashes.rows.map((r) => `| ${r.tool} | ${f2(r.seconds)} | ${r.mibPerSecond.toFixed(0)} |`).join('\n')}

multiarch with an empty hash cache hashes ${(hash('multiarch snapshot, empty').mibPerSecond / hash('git').mibPerSecond).toFixed(1)}× as fast as \`git hash-object\` and ${(hash('multiarch snapshot, empty').mibPerSecond / hash('sha256sum, one').mibPerSecond).toFixed(1)}× as fast as one \`sha256sum\`: Node's SHA-256 is OpenSSL's, which uses the CPU's SHA extensions (\`sha_ni\` in /proc/cpuinfo), while Debian's coreutils 9.1 \`sha256sum\` has its own portable code (it links no libcrypto); files are read whole (up to 8 MiB) 16 at a time. Hashing itself runs on one core. With a warm hash cache nothing is read: only the walk and one \`lstat\` per file (size, mtime, inode, ctime).
`;
replaceSection(path.join(ROOT, 'docs/benchmarks.md'), 'Incremental', body);
console.log(readFileSync(path.join(ROOT, 'docs/benchmarks.md'), 'utf8').split('## Incremental')[1]);
