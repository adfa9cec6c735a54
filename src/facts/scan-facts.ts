/**
 * What planning needs to know about scanning, gathered before the pure createPlan call: today's
 * date (for exception expiry), each scanner the selected images use (version, DB, whether a DB
 * update is due) and, for each scan node, what the scan cache holds for the image its local tag
 * points at now. Edge: runs the scanners' version commands and `docker image inspect`, reads the
 * scan cache and the clock.
 */
import type { ResolvedConfig } from '../config/resolved.js';
import type { ScannerName, ScannerOptions } from '../config/scan.js';
import type { DockerClient } from '../docker/client.js';
import { inspectImage } from '../docker/inspect-image.js';
import type { Plan } from '../plan/nodes.js';
import type { LastScanFacts, ScannerFacts } from '../plan/scan-node.js';
import { probeScanner } from '../scanners/run-scanner.js';
import { readScanCache, scanCacheDir } from '../scanners/scan-cache.js';

/** `YYYY-MM-DD` of `now` in UTC: exceptions run through their `until` day, UTC, everywhere alike. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Scanners the selected images use, each probed once (with the top-level tool options). */
export async function scannerFacts(config: ResolvedConfig, images: ReadonlySet<string>, now: Date): Promise<Partial<Record<ScannerName, ScannerFacts>>> {
  const wanted = new Map<ScannerName, ScannerOptions>();
  for (const name of images) {
    const scan = config.images[name]?.scan;
    if (scan && !wanted.has(scan.scanner)) wanted.set(scan.scanner, scan.options);
  }
  const facts: Partial<Record<ScannerName, ScannerFacts>> = {};
  await Promise.all(
    [...wanted].map(async ([name, options]) => {
      const probed = await probeScanner(name, options);
      if (!probed.ok) {
        facts[name] = { available: false, problem: probed.problem };
        return;
      }
      const { version, db } = probed.version;
      const due = !db || (db.nextUpdate !== undefined && Date.parse(db.nextUpdate) < now.getTime());
      const dbUpdate = options.offline ? 'offline' : due ? 'due' : name === 'grype' ? 'check' : 'fresh';
      facts[name] = { available: true, version, ...(db ? { db: { version: db.version, ...(db.updatedAt ? { updatedAt: db.updatedAt } : {}) } } : {}), dbUpdate };
    }),
  );
  return facts;
}

/**
 * For each scan node of `plan`: the cached scan of the image its build's local tag holds now, if
 * any. A plan made without these facts is the input; the caller plans again with them.
 */
export async function lastScanFacts(plan: Plan, cacheDir: string, client: DockerClient | undefined): Promise<Record<string, LastScanFacts>> {
  const found: Record<string, LastScanFacts> = {};
  if (!client) return found;
  const dir = scanCacheDir(cacheDir);
  await Promise.all(
    Object.values(plan.nodes).map(async (node) => {
      if (node.kind !== 'scan') return;
      const build = plan.nodes[node.build];
      if (build?.kind !== 'build') return;
      const local = await inspectImage(client, build.localTag).catch(() => undefined);
      if (!local) return;
      const entry = await readScanCache(dir, node.scanner, local.id);
      if (entry) found[node.id] = { imageId: local.id, scannerVersion: entry.scannerVersion, dbVersion: entry.dbVersion };
    }),
  );
  return found;
}

export function hasScans(plan: Plan): boolean {
  return Object.values(plan.nodes).some((n) => n.kind === 'scan');
}
