/**
 * How `plan` shows a scan node: scanner, DB and policy on its step line, then whether apply will
 * reuse the last result or scan again (and why), or that the scanner is missing. Pure.
 */
import { formatPlatform } from '../../config/platform.js';
import type { ScanNode } from '../../plan/nodes.js';
import { describePolicy } from '../../scan/verdict-text.js';
import type { Style } from '../color.js';
import { shortDigest } from '../format.js';
import { type Segment } from '../../text/text-width.js';

/** `trivy 0.50.0, DB 2026-11-30 — fails on HIGH and above, …` */
export function scanHead(node: ScanNode): string {
  const facts = node.scannerFacts;
  const tool = facts?.available ? `${node.scanner} ${facts.version}${facts.db ? `, DB ${facts.db.version}` : ', no DB yet'}` : node.scanner;
  return `${tool} — ${describePolicy(node.policy)}`;
}

/** The lines under a scan step: a missing scanner, or whether apply reuses the last result. */
export function scanDetails(node: ScanNode, style: Style): Segment[] {
  const facts = node.scannerFacts;
  if (facts && !facts.available) {
    return [{ text: `✗ ${facts.problem}: apply refuses to start (scan.required is true)`, style: (t) => style.red(style.bold(t)) }];
  }
  switch (node.cache?.state) {
    case 'reuse':
      return [{ text: `last result (${shortDigest(node.cache.imageId)}, same scanner and DB) is reused if the build gives the same image`, style: style.dim }];
    case 'new-db':
      return [{ text: `new vulnerability DB since the last scan (${node.cache.from} → ${node.cache.to}): scans again`, style: style.yellow }];
    case 'new-scanner':
      return [{ text: `new ${node.scanner} since the last scan (${node.cache.from} → ${node.cache.to}): scans again`, style: style.yellow }];
    case 'db-update':
      return [{ text: 'the vulnerability DB is due for an update: apply fetches it and scans again', style: style.yellow }];
    default:
      return [];
  }
}
