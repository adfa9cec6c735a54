/**
 * Where a scanner's archive should come from (issue 13's one export path): straight from the
 * engine (`docker save -o`: save-image.ts, what a scan does), streamed through this process (the
 * alternative save-image.ts does not take), or written from the
 * blob store after the export a push needs (writeDockerArchive: what an SBOM after its push does),
 * against the plain `docker save -o` scans ran before; and the export itself (docker save + gzip).
 * Wall and CPU time (this process's user+sys; the docker CLI's and dockerd's CPU is not counted).
 * Usage: jiti bench/scan-archive.ts <local image> [rounds]
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { saveImage, saveImageToFile } from '../src/docker/save-image.js';
import { BlobStore } from '../src/image/blob-store.js';
import { writeDockerArchive } from '../src/image/docker-archive.js';
import { exportImage } from '../src/image/export-image.js';
import { run } from '../src/sys/run.js';

const [image, roundsArg = '5'] = process.argv.slice(2);
if (!image) throw new Error('usage: bench/scan-archive.ts <local image> [rounds]');
const rounds = Number(roundsArg);
const client = { binary: 'docker', version: '', env: {} };
const dir = mkdtempSync(path.join(os.tmpdir(), 'multiarch-bench-archive-'));
const store = new BlobStore(path.join(dir, 'cache'));
const inspect = await run('docker', ['image', 'inspect', '--format', '{{.Id}}', image]);
const imageId = inspect.stdout.trim();
const signal = new AbortController().signal;

async function measure(what: string, fn: () => Promise<void>): Promise<void> {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await fn();
    walls.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`${what}: wall median ${median(walls).toFixed(0)} ms, this process's CPU median ${median(cpus).toFixed(0)} ms`);
}

const file = path.join(dir, 'image.tar');
try {
  await measure('docker save -o (before)', async () => {
    const r = await run('docker', ['save', '-o', file, imageId]);
    if (r.exitCode !== 0) throw new Error(r.stderr);
  });
  console.log(`  archive ${(statSync(file).size / 1e6).toFixed(1)} MB`);
  await measure('docker save streamed through this process to the file', async () => {
    const saving = await saveImage(client, imageId, signal);
    await Promise.all([pipeline(saving.stdout, createWriteStream(file)), saving.done]);
  });
  await measure('saveImageToFile (a scan now)', () => saveImageToFile(client, imageId, file, signal));
  const exported = await exportImage((s) => saveImage(client, imageId, s), imageId, store, signal);
  await measure('writeDockerArchive from the export (an SBOM after its push now)', () => writeDockerArchive(exported, store, file));
  await measure('export into the blob store, cold (docker save + gzip: the push\'s)', async () => {
    rmSync(path.join(dir, 'cache'), { recursive: true, force: true });
    await exportImage((s) => saveImage(client, imageId, s), imageId, store, signal);
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
