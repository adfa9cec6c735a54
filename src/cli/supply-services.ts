/**
 * What the signing and attesting steps need for one apply: each push's provenance material (read
 * off the plan, with the config file's digest), the scanner that writes each image's SBOM (its
 * scan settings in the plan), the run's start time — and the key, where this run signs (a shard
 * makes the predicates without one; the merge signs them).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import type { AttestServices } from '../exec/steps/supply.js';
import type { Plan } from '../plan/nodes.js';
import { makeSbom } from '../scanners/make-sbom.js';
import { provenanceMaterials } from '../supply/provenance-material.js';
import { VERSION } from './version.js';

export async function createAttestServices(plan: Plan): Promise<AttestServices> {
  const startedOn = new Date().toISOString();
  const configDigest = await fs.readFile(plan.configFile).then(
    (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
    () => undefined,
  );
  const sbomScanners: Record<string, AttestServices['sbomScanners'][string]> = {};
  for (const node of Object.values(plan.nodes)) {
    if (node.kind !== 'push' || !node.attest?.sbom) continue;
    const scan = Object.values(plan.nodes).find((n) => n.kind === 'scan' && n.build === node.build);
    if (scan?.kind === 'scan') sbomScanners[node.id] = { scanner: scan.scanner, options: scan.options, timeoutSeconds: scan.timeoutSeconds };
  }
  return {
    provenance: provenanceMaterials(plan, VERSION, configDigest),
    sbomScanners,
    makeSbom: (scanner, build, format, signal, writeArchive) =>
      makeSbom(scanner.scanner, { writeArchive, imageId: build.imageId, format, options: scanner.options, timeoutSeconds: scanner.timeoutSeconds, signal }),
    startedOn,
    now: () => new Date().toISOString(),
  };
}
