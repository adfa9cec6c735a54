/** The planned graph as a Mermaid flowchart, for Markdown docs and pull requests (GitHub renders it). Pure. */
import type { Plan } from '../../plan/nodes.js';
import { createGraphModel, type GraphNode } from './graph-model.js';

/** Mermaid node shapes by kind: builds rounded, checks (tests, scans) as decisions, indexes as hexagons. */
const SHAPES: Record<GraphNode['kind'], [string, string]> = {
  prepare: ['[/', '/]'],
  build: ['(', ')'],
  test: ['{', '}'],
  scan: ['{', '}'],
  push: ['[', ']'],
  index: ['{{', '}}'],
};

export function formatGraphMermaid(plan: Plan): string {
  const model = createGraphModel(plan);
  // Node ids are `build:web@linux/amd64`; Mermaid ids must be plain, so number them.
  const ids = new Map<string, string>();
  const idOf = (node: string) => {
    if (!ids.has(node)) ids.set(node, `n${ids.size}`);
    return ids.get(node)!;
  };
  const lines = ['flowchart LR'];
  model.clusters.forEach((cluster, i) => {
    lines.push(`  subgraph image${i}[${label([cluster.image])}]`);
    for (const node of cluster.nodes) {
      const [open, close] = SHAPES[node.kind];
      lines.push(`    ${idOf(node.id)}${open}${label(node.lines)}${close}`);
    }
    lines.push('  end');
  });
  for (const edge of model.edges) {
    lines.push(`  ${idOf(edge.from)} ${edge.refArg ? `-.->|ref ${edge.refArg}|` : '-->'} ${idOf(edge.to)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A quoted Mermaid label: `"` as an entity, lines joined with <br/>. */
function label(lines: readonly string[]): string {
  return `"${lines.map((l) => l.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;')).join('<br/>')}"`;
}
