/**
 * The end-of-run summary as GitHub-flavoured Markdown, for `$GITHUB_STEP_SUMMARY`: a headline with
 * the outcome and total time, then tables of the refs written (full digests, to copy), what failed
 * and why, and what was skipped or canceled because of what. Pure.
 */
import type { NodeSummary, RunSummary } from '../../exec/events.js';
import { formatDuration } from '../format.js';
import { plural } from '../../text/plural.js';
import { cell, code } from '../markdown-text.js';
import { cacheLine, reasonText } from './summary.js';

const HEADLINE: Record<RunSummary['status'], string> = {
  succeeded: '✅ multiarch apply succeeded',
  failed: '❌ multiarch apply failed',
  canceled: '⚠️ multiarch apply was interrupted',
};

export function formatSummaryMarkdown(summary: RunSummary): string {
  const counts = (['succeeded', 'cached', 'failed', 'skipped', 'canceled'] as const)
    .map((status) => [status, summary.nodes.filter((n) => n.status === status).length] as const)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`);
  const out = [
    `### ${HEADLINE[summary.status]} ${summary.status === 'succeeded' ? 'in' : 'after'} ${formatDuration(summary.durationMs)}`,
    '',
    `${counts.join(', ') || 'nothing to do'} · ${plural(summary.published.length, 'ref')} written`,
  ];
  const cache = cacheLine(summary);
  if (cache) out.push('', cache);
  if (summary.status === 'canceled') out.push('', 'The run was interrupted: the refs below were written before it stopped.');
  const table = (title: string, head: readonly string[], rows: ReadonlyArray<readonly string[]>) => {
    if (rows.length === 0) return;
    out.push('', `#### ${title}`, '', `| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`));
  };
  const refRows = (kind: 'index' | 'platform') => summary.published.filter((p) => p.kind === kind).map((p) => [p.interrupted ? `${code(p.ref)} (written; interrupted before it was read back and verified)` : code(p.ref), code(p.digest)]);
  table('Multi-arch indexes written', ['Ref', 'Digest'], refRows('index'));
  table('Platform images written', ['Ref', 'Digest'], refRows('platform'));
  const failed = summary.nodes.filter((n) => n.status === 'failed');
  table('Failed', ['Step', 'After', 'Error'], failed.map((n) => [cell(n.label), formatDuration(n.durationMs), errorCell(n)]));
  const byId = new Map(summary.nodes.map((n) => [n.id, n]));
  const stopped = summary.nodes.filter((n) => n.status === 'skipped' || n.status === 'canceled');
  table('Skipped and canceled', ['Step', 'Status', 'Why'], stopped.map((n) => [cell(n.label), n.status, cell(reasonText(n, byId))]));
  return `${out.join('\n')}\n`;
}

function errorCell(node: NodeSummary): string {
  if (!node.error) return '';
  const parts = [`${code(node.error.code)} ${cell(node.error.message)}`];
  if (node.error.location) parts.push(`at ${code(`${node.error.location.file}:${node.error.location.line}`)}`);
  if (node.error.hint) parts.push(`hint: ${cell(node.error.hint)}`);
  return parts.join('<br>');
}
