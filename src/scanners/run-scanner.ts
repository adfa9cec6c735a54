/**
 * The calls around the scanner adapters: asking a scanner for its version and DB, refreshing the
 * DB, and scanning one image — written by the caller as a `docker save`-format archive into a temp
 * folder (exec/steps/image-exports.ts: the run's one export of the image), so exactly one
 * platform's image is scanned, never an index. Edge.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ScannerName, ScannerOptions } from '../config/scan.js';
import type { ScanRequest } from '../exec/ports/scanner.js';
import { MultiarchError } from '../errors/multiarch-error.js';
import type { Finding, ScannerInfo } from '../scan/finding.js';
import { run, type RunResult } from '../sys/run.js';
import { grype } from './grype.js';
import type { Command, ScannerAdapter, VersionResult } from './scanner.js';
import { trivy } from './trivy.js';

export const ADAPTERS: Readonly<Record<ScannerName, ScannerAdapter>> = { trivy, grype };

const VERSION_TIMEOUT_MS = 30_000;

export const INSTALL_HINTS: Readonly<Record<ScannerName, string>> = {
  trivy: 'install Trivy (https://trivy.dev) and put it on PATH, pick another scanner with scan.scanner, or set scan.required: false to publish unscanned',
  grype: 'install Grype (https://github.com/anchore/grype) and put it on PATH, pick another scanner with scan.scanner, or set scan.required: false to publish unscanned',
};

function call(command: Command, options: { signal?: AbortSignal; timeoutMs?: number; onLine?: (line: string) => void } = {}): Promise<RunResult> {
  return run(command.file, command.args, {
    env: command.env,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.onLine ? { onLine: options.onLine } : {}),
  });
}

function notInstalled(name: ScannerName): MultiarchError {
  return new MultiarchError('E_SCANNER_UNAVAILABLE', `${name} is not installed (not found on PATH)`, { hint: INSTALL_HINTS[name] });
}

/** The scanner's version and DB, or why it cannot be used. Never throws for a missing scanner. */
export async function probeScanner(name: ScannerName, options: ScannerOptions): Promise<{ ok: true; version: VersionResult } | { ok: false; problem: string }> {
  const adapter = ADAPTERS[name];
  const outputs: string[] = [];
  for (const [i, command] of adapter.versionCommands(options).entries()) {
    const result = await call(command, { timeoutMs: VERSION_TIMEOUT_MS });
    if (result.notFound) return { ok: false, problem: notInstalled(name).message };
    // Only the first command must succeed: Grype's `db status` fails while there is no DB yet.
    if (result.exitCode !== 0 && i === 0) {
      return { ok: false, problem: `\`${command.file} ${command.args.join(' ')}\` exited ${result.exitCode}: ${result.tail.at(-1) ?? ''}`.trim() };
    }
    outputs.push(result.exitCode === 0 ? result.stdout : '');
  }
  try {
    return { ok: true, version: adapter.parseVersion(outputs) };
  } catch (error) {
    return { ok: false, problem: (error as Error).message };
  }
}

/** Brings the DB up to date (unless offline) and says which scanner and DB every scan will use. */
export async function prepareScanner(name: ScannerName, options: ScannerOptions, signal: AbortSignal, onLine?: (line: string) => void): Promise<ScannerInfo> {
  const adapter = ADAPTERS[name];
  if (!options.offline) {
    const command = adapter.updateDbCommand(options);
    const result = await call(command, { signal, timeoutMs: 30 * 60_000, ...(onLine ? { onLine } : {}) });
    if (result.notFound) throw notInstalled(name);
    if (result.canceled) throw new MultiarchError('E_CANCELED', `${name} DB update canceled`);
    if (result.exitCode !== 0) {
      throw new MultiarchError('E_SCAN_FAILED', `updating the ${name} vulnerability DB failed (\`${command.file} ${command.args.join(' ')}\` exited ${result.exitCode})`, {
        details: result.tail.slice(-15),
        hint: 'check the network or the DB repository (scan.dbRepository); with a DB already in scan.cacheDir, scan.offline: true uses it as it is',
      });
    }
  }
  const probed = await probeScanner(name, options);
  if (!probed.ok) throw new MultiarchError('E_SCANNER_UNAVAILABLE', probed.problem, { hint: INSTALL_HINTS[name] });
  const { version, db } = probed.version;
  if (!db) {
    throw new MultiarchError('E_SCAN_FAILED', `${name} has no vulnerability DB${options.offline ? ' and scan.offline is true' : ' after updating it'}`, {
      hint: options.offline ? `fill scan.cacheDir with a DB (${name} DB download) or set scan.offline: false` : 'run the DB update by hand to see why',
    });
  }
  return { name, version, db: { version: db.version, ...(db.updatedAt ? { updatedAt: db.updatedAt } : {}) } };
}

export async function scanImage(name: ScannerName, o: ScanRequest): Promise<Finding[]> {
  const adapter = ADAPTERS[name];
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'multiarch-scan-'));
  try {
    const archive = path.join(dir, 'image.tar');
    const report = path.join(dir, `${name}.json`);
    o.onProgress?.('writing the image archive');
    await o.writeArchive(archive);
    const command = adapter.scanCommand({ archive, report, timeoutSeconds: o.timeoutSeconds, options: o.options });
    o.onProgress?.(`${name} scanning`);
    const result = await call(command, { signal: o.signal, timeoutMs: o.timeoutSeconds * 1000 + 30_000, ...(o.onLine ? { onLine: o.onLine } : {}) });
    if (result.notFound) throw notInstalled(name);
    if (result.canceled) throw new MultiarchError('E_CANCELED', 'scan canceled');
    if (result.exitCode !== 0 || result.timedOut) {
      throw new MultiarchError('E_SCAN_FAILED', `${name} ${result.timedOut ? `timed out after ${o.timeoutSeconds}s` : `exited ${result.exitCode}`} scanning ${o.imageId}`, {
        details: result.tail.slice(-15),
        hint: result.timedOut ? 'raise scan.timeout' : `run \`${command.file} ${command.args.join(' ')}\` by hand to see why`,
      });
    }
    const text = await fs.readFile(report, 'utf8').catch(() => {
      throw new MultiarchError('E_SCAN_FAILED', `${name} exited 0 but wrote no report to ${report}`, { details: result.tail.slice(-10) });
    });
    try {
      return adapter.parseReport(text);
    } catch (error) {
      throw new MultiarchError('E_SCAN_FAILED', `${name}'s report could not be read: ${(error as Error).message}`);
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
