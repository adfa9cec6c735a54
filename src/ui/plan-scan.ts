/**
 * How `plan` shows a scan node: scanner, DB and policy on one line, then whether apply will reuse
 * the last result or scan again (and why), or that the scanner is missing. Pure.
 */
import { formatPlatform } from '../config/platform.js';
import type { ScanNode } from '../plan/nodes.js';
import { describePolicy } from '../scan/verdict-text.js';
import type { Style } from './color.js';
import { shortDigest } from './format.js';

export function scanLines(node: ScanNode, style: Style): string[] {
  const facts = node.scannerFacts;
  const tool = facts?.available ? `${node.scanner} ${facts.version}${facts.db ? `, DB ${facts.db.version}` : ', no DB yet'}` : node.scanner;
  const lines = [`  ${style.dim('scan ')} ${formatPlatform(node.platform)}  ${tool} — ${describePolicy(node.policy)}`];
  const more = (text: string) => lines.push(`          ${text}`);
  if (facts && !facts.available) {
    more(style.red(style.bold(`✗ ${facts.problem}: apply refuses to start (scan.required is true)`)));
    return lines;
  }
  switch (node.cache?.state) {
    case 'reuse':
      more(style.dim(`last result (${shortDigest(node.cache.imageId)}, same scanner and DB) is reused if the build gives the same image`));
      break;
    case 'new-db':
      more(style.yellow(`new vulnerability DB since the last scan (${node.cache.from} → ${node.cache.to}): scans again`));
      break;
    case 'new-scanner':
      more(style.yellow(`new ${node.scanner} since the last scan (${node.cache.from} → ${node.cache.to}): scans again`));
      break;
    case 'db-update':
      more(style.yellow('the vulnerability DB is due for an update: apply fetches it and scans again'));
      break;
    default:
      break;
  }
  return lines;
}
