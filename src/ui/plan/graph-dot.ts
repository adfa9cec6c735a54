/** The planned graph in Graphviz dot: `multiarch graph --format dot | dot -Tsvg > plan.svg`. Pure. */
import type { Plan } from '../../plan/nodes.js';
import { createGraphModel, type GraphNode } from './graph-model.js';

const SHAPES: Record<GraphNode['kind'], string> = { prepare: 'box', build: 'box', test: 'diamond', scan: 'diamond', push: 'box', index: 'box' };
const STYLES: Record<GraphNode['kind'], string> = { prepare: 'dashed', build: 'rounded', test: 'solid', scan: 'solid', push: 'solid', index: 'bold' };

export function formatGraphDot(plan: Plan): string {
  const model = createGraphModel(plan);
  const lines = ['digraph multiarch {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=9];'];
  model.clusters.forEach((cluster, i) => {
    lines.push(`  subgraph cluster_${i} {`, `    label=${quote(cluster.image)};`);
    for (const node of cluster.nodes) {
      lines.push(`    ${quote(node.id)} [label=${quote(node.lines.join('\n'))}, shape=${SHAPES[node.kind]}, style=${STYLES[node.kind]}];`);
    }
    lines.push('  }');
  });
  for (const edge of model.edges) {
    const attrs = edge.refArg ? ` [style=dashed, label=${quote(`ref ${edge.refArg}`)}]` : '';
    lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)}${attrs};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** A dot string: quotes and backslashes escaped, newlines as `\n` (centred lines). */
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
