/**
 * bench/publish: bytes uploaded and wall time for publishing the example web server (linux/amd64 +
 * linux/arm64) to two targets — 127.0.0.1:5000 and the htpasswd registry 127.0.0.1:5001 — by
 * multiarch, against `docker push` + `docker manifest create/push` for the same refs, in one run
 * of several rounds. Each registry sits behind a pass-through recording proxy (new ports every
 * round, new repositories every round) that counts what it receives. Writes the `## Publish`
 * section of docs/benchmarks.md.
 *
 *   node --import jiti/register bench/publish/run.ts        (BENCH_ROUNDS=3, BENCH_NO_WRITE=1)
 *
 * Needs the test environment (scripts/test-env.sh) and a built CLI (npm run build); runs both.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { startFaultProxy, uploadedBytes, uploadsByDigest, type FaultProxy } from '../../test/e2e/support/fault-proxy.js';
import { parseEnvFile } from '../../test/e2e/support/env.js';
import { formatSection, summarize, writeSection, type Measurement, type RegistryCount } from './report.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PLATFORMS = ['linux/amd64', 'linux/arm64'] as const;
const DOCKER = '/usr/bin/docker';
const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function sh(file: string, args: readonly string[], env: Record<string, string> = {}): Promise<string> {
  const r = await execa(file, args, { cwd: ROOT, env: { ...process.env, ...env }, reject: false, stdin: 'ignore' });
  if (r.exitCode !== 0) throw new Error(`${file} ${args.join(' ')} failed (${r.exitCode}):\n${r.stderr}\n${r.stdout}`.slice(0, 4000));
  return r.stdout;
}

function count(proxy: FaultProxy): RegistryCount {
  const uploads = [...uploadsByDigest(proxy.log).values()];
  return {
    blobBytes: uploadedBytes(proxy.log),
    blobUploads: uploads.reduce((s, n) => s + n, 0),
    maxUploadsOfOneBlob: Math.max(0, ...uploads),
    mounts: proxy.log.filter((e) => e.method === 'POST' && e.query.has('mount') && e.status === 201).length,
    requests: proxy.log.length,
  };
}

interface Env {
  readonly vars: Record<string, string>;
  readonly registry: string;
  readonly authRegistry: string;
  readonly auth: string;
}

/**
 * A loopback address never used before: dockerd remembers which repository of a registry host
 * holds which layer and mounts from there, so a host:port seen in an earlier round (or run) would
 * let docker skip uploads. Every address in 127.0.0.0/8 is loopback, and insecure for dockerd.
 */
const freshLoopback = () => `127.${1 + Math.floor(Math.random() * 254)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;

/** Two fresh proxies and a Docker config that logs in to the second one. */
async function targets(env: Env, configDir: string) {
  const plain = await startFaultProxy({ upstream: env.registry, listenHost: freshLoopback() });
  const auth = await startFaultProxy({ upstream: env.authRegistry, listenHost: freshLoopback() });
  writeFileSync(path.join(configDir, 'config.json'), JSON.stringify({ auths: { [auth.host]: { auth: env.auth } } }));
  return { plain, auth, close: () => Promise.all([plain.close(), auth.close()]) };
}

function config(hosts: readonly string[], repo: string, base: string): string {
  return `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { plain: { url: '${hosts[0]}', insecure: true }, auth: { url: '${hosts[1]}', insecure: true } },
  images: {
    web: {
      context: './web-server',
      platforms: ${JSON.stringify(PLATFORMS)},
      args: { BASE_IMAGE: '${base}' },
      tags: ['v1'],
      publish: [{ registry: 'plain', repository: '${repo}' }, { registry: 'auth', repository: '${repo}' }],
    },
  },
});
`;
}

async function runMultiarch(env: Env, project: string, round: number, cacheDir: string, tool: Measurement['tool']): Promise<Measurement> {
  const configDir = mkdtempSync(path.join(os.tmpdir(), 'bench-cfg-'));
  const t = await targets(env, configDir);
  try {
    writeFileSync(path.join(project, 'multiarch.config.ts'), config([t.plain.host, t.auth.host], `bench/${tool}-${Date.now()}/web`, env.vars.MULTIARCH_TEST_BASE_IMAGE!));
    const started = Date.now();
    const out = await sh('node', [path.join(ROOT, 'bin/multiarch.js'), 'apply', '--json', '--config', path.join(project, 'multiarch.config.ts')], {
      ...env.vars,
      DOCKER_CONFIG: configDir,
      MULTIARCH_CACHE_DIR: cacheDir,
      NO_COLOR: '1',
    });
    const totalMs = Date.now() - started;
    const events = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; id?: string; at: number });
    const publishing = events.filter((e) => (e.type === 'node:start' || e.type === 'node:end') && /^(push|index):/.test(e.id ?? ''));
    const publishMs = Math.max(...publishing.map((e) => e.at)) - Math.min(...publishing.map((e) => e.at));
    return { round, tool, publishMs, totalMs, registries: [count(t.plain), count(t.auth)] };
  } finally {
    await t.close();
    rmSync(configDir, { recursive: true, force: true });
  }
}

/** The seed's script: build (cached), push every platform tag to each registry, then one manifest list each. */
async function runDocker(env: Env, project: string, round: number): Promise<Measurement> {
  const configDir = mkdtempSync(path.join(os.tmpdir(), 'bench-cfg-'));
  const t = await targets(env, configDir);
  const docker = (...args: string[]) => sh(DOCKER, ['--config', configDir, ...args], { DOCKER_BUILDKIT: '1' });
  try {
    const repo = `bench/docker-${Date.now()}/web`;
    const started = Date.now();
    for (const platform of PLATFORMS) {
      await docker('build', '-q', '--platform', platform, '--build-arg', `BASE_IMAGE=${env.vars.MULTIARCH_TEST_BASE_IMAGE}`, '-t', `bench/web:${platform.replace('/', '-')}`, path.join(project, 'web-server'));
    }
    const built = Date.now();
    for (const host of [t.plain.host, t.auth.host]) {
      const refs: string[] = [];
      for (const platform of PLATFORMS) {
        const ref = `${host}/${repo}:v1-${platform.replace('/', '-')}`;
        await docker('tag', `bench/web:${platform.replace('/', '-')}`, ref);
        await docker('push', '-q', ref);
        refs.push(ref);
      }
      await docker('manifest', 'create', '--insecure', `${host}/${repo}:v1`, ...refs);
      await docker('manifest', 'push', '--insecure', '--purge', `${host}/${repo}:v1`);
    }
    const done = Date.now();
    return { round, tool: 'docker', publishMs: done - built, totalMs: done - started, registries: [count(t.plain), count(t.auth)] };
  } finally {
    await t.close();
    rmSync(configDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  say('test environment and build');
  await sh('bash', ['scripts/test-env.sh']);
  await sh('npm', ['run', 'build', '--silent']);
  const vars = parseEnvFile(readFileSync(path.join(ROOT, '.test-env/env'), 'utf8'));
  const password = readFileSync(vars.MULTIARCH_TEST_AUTH_PASSWORD_FILE!, 'utf8').trim();
  const env: Env = {
    vars,
    registry: vars.MULTIARCH_TEST_REGISTRY!,
    authRegistry: vars.MULTIARCH_TEST_AUTH_REGISTRY!,
    auth: Buffer.from(`${vars.MULTIARCH_TEST_AUTH_USER}:${password}`).toString('base64'),
  };
  // Inside the repository, so its multiarch.config.ts resolves `multiarch` (package self-reference).
  const project = path.join(ROOT, '.test-env/fixtures', `bench-publish-${Date.now()}`);
  mkdirSync(project, { recursive: true });
  cpSync(path.join(ROOT, 'examples/web-server'), path.join(project, 'web-server'), { recursive: true, filter: (f) => !f.endsWith('.ts') });
  const warmCache = path.join(project, 'warm-cache');
  try {
    say('warm-up: build both platforms once (both tools then find the build cache warm)');
    await runMultiarch(env, project, 0, warmCache, 'multiarch-warm');
    await runDocker(env, project, 0);
    const measurements: Measurement[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      // Alternate who goes first, so neither always meets a busier or a quieter machine.
      const order = round % 2 ? (['docker', 'multiarch', 'multiarch-warm'] as const) : (['multiarch-warm', 'multiarch', 'docker'] as const);
      for (const tool of order) {
        const m =
          tool === 'docker'
            ? await runDocker(env, project, round)
            : await runMultiarch(env, project, round, tool === 'multiarch' ? mkdtempSync(path.join(project, 'cold-cache-')) : warmCache, tool);
        say(`round ${round} ${tool}: publish ${(m.publishMs / 1000).toFixed(2)} s, total ${(m.totalMs / 1000).toFixed(2)} s, blob bytes ${m.registries.map((r) => r.blobBytes).join(' + ')}, max uploads of one blob ${Math.max(...m.registries.map((r) => r.maxUploadsOfOneBlob))}`);
        measurements.push(m);
      }
    }
    const section = formatSection(
      {
        date: new Date().toISOString().slice(0, 10),
        machine: `${os.cpus().length} CPUs, ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, load average ${os.loadavg()[0]!.toFixed(1)} at the end, Node ${process.version}, docker ${(await sh(DOCKER, ['version', '--format', '{{.Server.Version}}'])).trim()}`,
        image: 'examples/web-server for linux/amd64 and linux/arm64 (busybox base, ~1 MiB per platform)',
        rounds: ROUNDS,
      },
      measurements,
    );
    process.stdout.write(`${section}\n`);
    for (const s of summarize(measurements)) say(JSON.stringify(s));
    if (process.env.BENCH_NO_WRITE !== '1') writeSection(path.join(ROOT, 'docs/benchmarks.md'), section);
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] FAILED: ${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
