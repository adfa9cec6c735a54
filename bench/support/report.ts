/** Shared by the benchmarks: statistics and writing one section of docs/benchmarks.md. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function machineSummary(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** Replaces (or appends) `## <title>` up to the next `## ` heading; other sections stay as they are. */
export function replaceSection(file: string, title: string, body: string): void {
  const heading = `## ${title}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\nHow multiarch compares with the plain docker CLI doing the same work, measured in one run by the scripts in `bench/`.\n';
  const start = text.indexOf(`${heading}\n`);
  const block = `${heading}\n\n${body.trim()}\n`;
  if (start < 0) {
    writeFileSync(file, `${text.trimEnd()}\n\n${block}`);
    return;
  }
  const next = text.indexOf('\n## ', start + heading.length);
  writeFileSync(file, `${text.slice(0, start)}${block}${next < 0 ? '' : text.slice(next)}`);
}
