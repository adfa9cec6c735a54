/**
 * The port every vulnerability scanner adapter implements: pure command builders and parsers
 * around the real CLI. run-scanner.ts makes the calls; nothing here touches the system.
 */
import type { ScannerName, ScannerOptions } from '../config/scan.js';
import type { Finding, ScannerInfo } from '../scan/finding.js';

/** A process to start: argv and the environment it adds. */
export interface Command {
  readonly file: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

export interface ScanSpec {
  /** A `docker save` archive holding exactly the image to scan (one platform). */
  readonly archive: string;
  /** Where the scanner writes its JSON report. */
  readonly report: string;
  readonly timeoutSeconds: number;
  readonly options: ScannerOptions;
}

/** What `version` commands said; `db` is undefined when the scanner has no vulnerability DB yet. */
export interface VersionResult {
  readonly version: string;
  readonly db?: ScannerInfo['db'] & {
    /** When the scanner itself considers the DB due for an update (Trivy's NextUpdate). */
    readonly nextUpdate?: string;
  };
}

export interface ScannerAdapter {
  readonly name: ScannerName;
  /** Commands whose stdout, in order, parseVersion reads. */
  versionCommands(options: ScannerOptions): Command[];
  parseVersion(outputs: readonly string[]): VersionResult;
  /** Downloads or refreshes the DB, so that every scan of the run uses one DB version. */
  updateDbCommand(options: ScannerOptions): Command;
  scanCommand(spec: ScanSpec): Command;
  /** The report file's text → normalised findings (not yet de-duplicated). */
  parseReport(text: string): Finding[];
  /** An SBOM of the archive's image in `spec.format` written to `spec.report`; absent when the scanner writes none. */
  sbomCommand?(spec: ScanSpec & { readonly format: 'cyclonedx' | 'spdx' }): Command;
}

export class ScannerOutputError extends Error {}

/** JSON.parse that says which tool's output could not be read. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ScannerOutputError(`${what} is not JSON: ${(error as Error).message}`);
  }
}

export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** A description's first sentence, short enough for a table cell. */
export function shortTitle(description: string): string {
  const first = description.trim().split(/(?<=\.)\s|\n/)[0] ?? '';
  return first.length > 120 ? `${first.slice(0, 119)}…` : first;
}
