/**
 * A plan as a graph to draw: one cluster per image (in dependency order), nodes labelled as
 * `multiarch plan` names them with the refs they write, and edges from each node to the ones
 * that wait for it — the ones a `ref()` build arg makes between images marked with the arg.
 * Shared by the Graphviz and Mermaid printers. Pure.
 */
import { describeNode, nodeRefs } from '../../plan/describe-node.js';
import type { Plan, PlanNode } from '../../plan/nodes.js';
import { imagesInOrder } from './plan-text.js';

export interface GraphNode {
  readonly id: string;
  readonly kind: PlanNode['kind'];
  /** First line: as in the plan; then every ref the node writes. */
  readonly lines: readonly string[];
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** The build arg, for an edge a `ref()` makes (base's push → the build that uses its digest). */
  readonly refArg?: string;
}

export interface GraphModel {
  readonly clusters: ReadonlyArray<{ readonly image: string; readonly nodes: readonly GraphNode[] }>;
  readonly edges: readonly GraphEdge[];
}

export function createGraphModel(plan: Plan): GraphModel {
  const nodes = plan.order.map((id) => plan.nodes[id]!);
  const clusters = imagesInOrder(plan).map((image) => ({
    image,
    nodes: nodes.filter((n) => n.image === image).map((n) => ({ id: n.id, kind: n.kind, lines: [describeNode(n), ...nodeRefs(n)] })),
  }));
  const edges = nodes.flatMap((node) =>
    node.deps.map((dep) => {
      const refArg = node.kind === 'build' ? Object.entries(node.args).find(([, v]) => typeof v !== 'string' && v.ref.node === dep)?.[0] : undefined;
      return { from: dep, to: node.id, ...(refArg ? { refArg } : {}) };
    }),
  );
  return { clusters, edges };
}
