/**
 * Scan results kept between runs under the cache directory's `scans/`, one small JSON file per
 * scanner and image id. A result is reused only for the same image, scanner version and DB
 * version; policies are applied afresh every run, so editing exceptions never needs a rescan. Edge.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import type { ScannerName } from '../config/scan.js';
import type { Finding, ScannerInfo } from '../scan/finding.js';

export interface CachedScan {
  readonly version: 1;
  readonly imageId: string;
  readonly scanner: ScannerName;
  readonly scannerVersion: string;
  readonly dbVersion: string;
  readonly findings: readonly Finding[];
}

export function scanCacheDir(cacheDir: string): string {
  return path.join(cacheDir, 'scans');
}

function fileOf(dir: string, scanner: ScannerName, imageId: string): string {
  return path.join(dir, `${scanner}-${imageId.replace(/^sha256:/, '').replace(/[^A-Za-z0-9]/g, '_')}.json`);
}

/** What is cached for this image and scanner, whatever its versions; undefined when nothing (or junk). */
export async function readScanCache(dir: string, scanner: ScannerName, imageId: string): Promise<CachedScan | undefined> {
  try {
    const entry = JSON.parse(await fs.readFile(fileOf(dir, scanner, imageId), 'utf8')) as CachedScan;
    return entry.version === 1 && entry.imageId === imageId && Array.isArray(entry.findings) ? entry : undefined;
  } catch {
    return undefined;
  }
}

export function isCacheHit(entry: CachedScan | undefined, info: ScannerInfo): entry is CachedScan {
  return entry !== undefined && entry.scannerVersion === info.version && entry.dbVersion === info.db.version;
}

/** Atomic: written to a temp file and renamed, so a concurrent reader never sees half a file. */
export async function writeScanCache(dir: string, info: ScannerInfo, imageId: string, findings: readonly Finding[]): Promise<void> {
  const entry: CachedScan = { version: 1, imageId, scanner: info.name, scannerVersion: info.version, dbVersion: info.db.version, findings };
  const file = fileOf(dir, info.name, imageId);
  await fs.mkdir(dir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temp, `${JSON.stringify(entry)}\n`);
  await fs.rename(temp, file);
}
