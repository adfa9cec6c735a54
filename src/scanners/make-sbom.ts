/**
 * An SBOM of one platform's image by the configured scanner, from the same `docker save`-format
 * archive a scan reads (exactly that platform's image, never an index; the caller writes it). Returns the scanner's JSON
 * document as it wrote it. Edge.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ScannerName, ScannerOptions } from '../config/scan.js';
import type { SbomFormat } from '../config/supply-chain.js';
import { MultiarchError } from '../errors/multiarch-error.js';
import { run } from '../sys/run.js';
import { ADAPTERS } from './run-scanner.js';

export interface SbomOptions {
  /** Writes the image as a `docker save`-format archive (exec/steps/image-exports.ts). */
  readonly writeArchive: (file: string) => Promise<void>;
  readonly imageId: string;
  readonly format: SbomFormat;
  readonly options: ScannerOptions;
  readonly timeoutSeconds: number;
  readonly signal: AbortSignal;
}

export async function makeSbom(name: ScannerName, o: SbomOptions): Promise<unknown> {
  const adapter = ADAPTERS[name];
  if (!adapter.sbomCommand) throw new MultiarchError('E_SBOM_FAILED', `${name} does not write SBOMs here`, { hint: "set scan: { scanner: 'trivy' }, or attest.sbom: false" });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'multiarch-sbom-'));
  try {
    const archive = path.join(dir, 'image.tar');
    const report = path.join(dir, 'sbom.json');
    await o.writeArchive(archive);
    const command = adapter.sbomCommand({ archive, report, format: o.format, timeoutSeconds: o.timeoutSeconds, options: o.options });
    const result = await run(command.file, command.args, { env: command.env, signal: o.signal, timeoutMs: o.timeoutSeconds * 1000 + 30_000 });
    if (result.exitCode !== 0 || result.timedOut) {
      throw new MultiarchError('E_SBOM_FAILED', `${name} ${result.notFound ? 'is not installed' : result.timedOut ? 'timed out' : `exited ${result.exitCode}`} writing the ${o.format} SBOM of ${o.imageId}`, {
        details: result.tail.slice(-15),
        hint: `run \`${command.file} ${command.args.join(' ')}\` by hand to see why`,
      });
    }
    const text = await fs.readFile(report, 'utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new MultiarchError('E_SBOM_FAILED', `${name}'s ${o.format} SBOM is not JSON`);
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
