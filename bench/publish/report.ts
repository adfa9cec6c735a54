/**
 * The numbers of bench/publish turned into the `## Publish` section of docs/benchmarks.md: medians
 * per tool over the rounds, ratios against the docker baseline, and every round as measured. Pure
 * but for `writeSection`, which replaces only this section of the file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface RegistryCount {
  /** Blob bytes the registry received in upload requests (PATCH and PUT bodies). */
  readonly blobBytes: number;
  /** Blob uploads completed (PUT …?digest= answered 201). */
  readonly blobUploads: number;
  /** The most times one digest was uploaded to this registry. */
  readonly maxUploadsOfOneBlob: number;
  readonly mounts: number;
  readonly requests: number;
}

export interface Measurement {
  readonly round: number;
  readonly tool: 'docker' | 'multiarch' | 'multiarch-warm';
  /** Publishing only: docker push + manifest create/push; multiarch's push and index nodes. */
  readonly publishMs: number;
  /** The whole run: docker build (cached) + publishing; the multiarch apply process. */
  readonly totalMs: number;
  readonly registries: readonly RegistryCount[];
}

export interface BenchContext {
  readonly date: string;
  readonly machine: string;
  readonly image: string;
  readonly rounds: number;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

export interface Summary {
  readonly tool: Measurement['tool'];
  readonly publishMs: number;
  readonly totalMs: number;
  readonly blobBytes: number;
  readonly maxUploadsOfOneBlob: number;
  readonly mounts: number;
  readonly requests: number;
}

export function summarize(measurements: readonly Measurement[]): Summary[] {
  const tools = [...new Set(measurements.map((m) => m.tool))];
  return tools.map((tool) => {
    const mine = measurements.filter((m) => m.tool === tool);
    const sum = (f: (r: RegistryCount) => number) => (m: Measurement) => m.registries.reduce((s, r) => s + f(r), 0);
    return {
      tool,
      publishMs: median(mine.map((m) => m.publishMs)),
      totalMs: median(mine.map((m) => m.totalMs)),
      blobBytes: median(mine.map(sum((r) => r.blobBytes))),
      maxUploadsOfOneBlob: Math.max(...mine.flatMap((m) => m.registries.map((r) => r.maxUploadsOfOneBlob))),
      mounts: median(mine.map(sum((r) => r.mounts))),
      requests: median(mine.map(sum((r) => r.requests))),
    };
  });
}

/** The median over rounds of `tool`'s publish time divided by docker's in the same round. */
export function pairedRatio(measurements: readonly Measurement[], tool: Measurement['tool']): number {
  const rounds = [...new Set(measurements.map((m) => m.round))];
  const ratios = rounds.flatMap((round) => {
    const docker = measurements.find((m) => m.round === round && m.tool === 'docker');
    const mine = measurements.find((m) => m.round === round && m.tool === tool);
    return docker && mine ? [mine.publishMs / docker.publishMs] : [];
  });
  return median(ratios);
}

export function formatSection(context: BenchContext, measurements: readonly Measurement[]): string {
  const summary = summarize(measurements);
  const docker = summary.find((s) => s.tool === 'docker')!;
  const cold = summary.find((s) => s.tool === 'multiarch')!;
  const warm = summary.find((s) => s.tool === 'multiarch-warm');
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  const paired = pairedRatio(measurements, 'multiarch');
  const pairedWarm = warm ? pairedRatio(measurements, 'multiarch-warm') : undefined;
  const publishRatio = Math.max(cold.publishMs / docker.publishMs, paired);
  const lines = [
    '## Publish',
    '',
    `Measured by \`node --import jiti/register bench/publish/run.ts\` on ${context.date} (${context.machine}); ${context.rounds} rounds, medians.`,
    '',
    `What is published: ${context.image}, to two targets — the plain registry (127.0.0.1:5000) and the`,
    'htpasswd one (127.0.0.1:5001) — each behind a pass-through recording proxy that counts what the',
    'registry receives. Every round publishes to new repositories behind proxies on loopback addresses',
    'never used before (127.x.y.z), so neither tool can mount from an earlier round or run (dockerd',
    'remembers where it pushed layers, per registry host).',
    '',
    '- **docker**: the seed\'s way — `docker push` of each platform tag to each registry, then',
    '  `docker manifest create` + `docker manifest push` per registry (images already built and tagged).',
    '  Total adds the cached `docker build` of both platforms.',
    '- **multiarch**: `multiarch apply --json` with both targets in one config and a cold export cache',
    '  (`docker save` + gzip included). Publish time is from the first push node\'s start to the last',
    '  index node\'s end; total is the whole process (Node start, config, builder detection, cached builds).',
    ...(warm ? ['- **multiarch-warm**: the same with the export cache of an earlier run (a re-publish on one machine).'] : []),
    '',
    '| tool | publish | total | blob bytes received (both registries) | most uploads of one blob to one registry | mounts | requests |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...summary.map((s) => `| ${s.tool} | ${secs(s.publishMs)} | ${secs(s.totalMs)} | ${kib(s.blobBytes)} | ${s.maxUploadsOfOneBlob} | ${s.mounts} | ${s.requests} |`),
    '',
    `Publish wall-time ratio multiarch / docker: **${ratio(cold.publishMs, docker.publishMs)}** as a ratio of the medians, **${paired.toFixed(2)}** as the median of` +
      ` each round's own ratio (the two runs of a round are seconds apart, so they meet the same machine load);` +
      ` target ≤ 0.7 on both: ${publishRatio <= 0.7 ? 'met' : 'not met'}.` +
      `${warm ? ` Warm cache: ${ratio(warm.publishMs, docker.publishMs)} / ${pairedWarm!.toFixed(2)}.` : ''} Whole-run ratio: ${ratio(cold.totalMs, docker.totalMs)}.`,
    `No blob uploaded twice to one registry: ${cold.maxUploadsOfOneBlob <= 1 ? 'met' : `not met (${cold.maxUploadsOfOneBlob})`} for multiarch` +
      ` (docker: ${docker.maxUploadsOfOneBlob <= 1 ? 'also none' : `${docker.maxUploadsOfOneBlob}`}).`,
    '',
    'Where the time goes (traced separately through the same proxies): on multiarch\'s critical path',
    'are the export of each platform image from the engine (`docker save` ≈ 55 ms, then tar parsing,',
    'gzip and hashing ≈ 110 ms per image; both platforms in parallel ≈ 300 ms on 2 CPUs), then the',
    'fan-out chain — the second registry is filled by copying from the first, so its copy starts only',
    'once the first holds the platform image, and its index waits for both copies and is read back and',
    'verified (about 7 round trips). docker\'s time is mostly its 8 CLI invocations and the compression',
    'in every `docker push`. A warm export cache removes the export from the path. The whole-run',
    'ratio is above 1: before publishing, a multiarch run starts Node, loads the TypeScript config,',
    'detects the builder and emulators, reads git and runs the (cached) builds — about 2 s here, where',
    'two cached `docker build`s take about 1 s. That start-up is the core\'s, not publishing\'s.',
    '',
    'The machine is shared (2 CPUs, other test suites running), so single runs vary: eight runs of 3–7',
    'rounds on 2026-12-01 gave cold ratios (of the medians) of 0.59, 0.61, 0.61, 0.62, 0.70, 0.71, 0.75',
    'and 0.82 (the two lowest with the machine otherwise idle), and warm ratios of 0.37–0.61. The cold',
    'target is met in most runs, not in all under load; the warm case meets it in every run. Bytes are',
    'stable: each blob reaches each registry once.',
    '',
    '<details><summary>Every round</summary>',
    '',
    '| round | tool | publish | total | blob bytes :5000 / :5001 | uploads :5000 / :5001 | mounts | requests |',
    '| ---: | --- | ---: | ---: | --- | --- | ---: | ---: |',
    ...measurements.map(
      (m) =>
        `| ${m.round} | ${m.tool} | ${secs(m.publishMs)} | ${secs(m.totalMs)} | ${m.registries.map((r) => kib(r.blobBytes)).join(' / ')} | ${m.registries.map((r) => r.blobUploads).join(' / ')} | ${m.registries.reduce((s, r) => s + r.mounts, 0)} | ${m.registries.reduce((s, r) => s + r.requests, 0)} |`,
    ),
    '',
    '</details>',
    '',
  ];
  return lines.join('\n');
}

/** Replaces the `## Publish` section of the file (up to the next `## `), keeping every other section. */
export function replaceSection(document: string, section: string): string {
  const start = document.search(/^## Publish\s*$/m);
  if (start < 0) return `${document.trimEnd()}${document.trim() ? '\n\n' : ''}${section}`;
  const rest = document.slice(start + 1);
  const next = rest.search(/^## /m);
  const end = next < 0 ? document.length : start + 1 + next;
  return `${document.slice(0, start)}${section}${next < 0 ? '' : '\n'}${document.slice(end)}`;
}

export function writeSection(file: string, section: string): void {
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  writeFileSync(file, replaceSection(before, section));
}
