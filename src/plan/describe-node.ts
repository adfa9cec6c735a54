/** One-line, human names for plan nodes, shared by the plan printer and every reporter. Pure. */
import { formatPlatform } from '../config/platform.js';
import { formatImageRef } from '../config/registry-url.js';
import type { PlanNode } from './nodes.js';

export function describeNode(node: PlanNode): string {
  switch (node.kind) {
    case 'prepare':
      return `${node.image} ${formatPlatform(node.platform)} prepare`;
    case 'build':
      return `${node.image} ${formatPlatform(node.platform)} build`;
    case 'test':
      return `${node.image} ${formatPlatform(node.platform)} test`;
    case 'scan':
      return `${node.image} ${formatPlatform(node.platform)} scan`;
    case 'push':
      return `${node.image} ${formatPlatform(node.platform)} push → ${node.target.name}`;
    case 'index':
      return `${node.image}:${node.tag} index → ${node.target.name}`;
  }
}

/** Every ref a node writes, fully qualified (`127.0.0.1:5000/team/web:v1`). */
export function nodeRefs(node: PlanNode): string[] {
  switch (node.kind) {
    case 'push':
      return node.refs.map((r) => formatImageRef(node.target, r.repository, r.tag));
    case 'index':
      return [formatImageRef(node.target, node.repository, node.indexTag)];
    default:
      return [];
  }
}
