/** Real configs for the planner tests: object literals validated by the real validator. */
import { ref } from '../../../src/config/ref.js';
import type { ResolvedConfig } from '../../../src/config/resolved.js';
import { validateConfig } from '../../../src/config/validate.js';
import { createPlan } from '../../../src/plan/create-plan.js';
import type { NodeKind, NodeOfKind, Plan, PlanFacts } from '../../../src/plan/nodes.js';
import { resolveSelection, type Selection } from '../../../src/plan/selection.js';

export const CONFIG_FILE = '/abs/dir/multiarch.config.ts';

export const THREE = ['linux/amd64', 'linux/arm64', 'linux/arm/v7'];

/** base (tested) and web built on it, both pushed to a local registry as single repositories. */
export function localConfig(extra: { web?: Record<string, unknown>; base?: Record<string, unknown> } = {}) {
  return {
    registries: { local: { url: '127.0.0.1:5000', insecure: true } },
    images: {
      base: {
        context: './base',
        platforms: THREE,
        tags: ['v1'],
        test: { command: ['uname', '-m'], expectOutput: '{uname}' },
        publish: [{ registry: 'local', repository: 'team/base' }],
        ...extra.base,
      },
      web: {
        context: './web',
        platforms: THREE,
        args: { BASE: ref('base'), MODE: 'prod' },
        tags: ['v1'],
        publish: [{ registry: 'local', repository: 'team/web' }],
        ...extra.web,
      },
    },
  };
}

export function resolve(input: unknown): ResolvedConfig {
  const result = validateConfig(input, CONFIG_FILE);
  if (!result.ok) throw new Error(`expected a valid config: ${JSON.stringify(result.issues, null, 2)}`);
  return result.config;
}

export const builderFacts: PlanFacts = {
  builder: { kind: 'buildx', description: 'docker buildx', nativePlatform: 'linux/amd64', emulated: ['aarch64'] },
};

export function plan(input: unknown, facts: PlanFacts = {}, select: Selection = {}): Plan {
  const config = resolve(input);
  const selection = resolveSelection(config, select);
  if (!selection.ok) throw new Error(selection.message);
  return createPlan(config, facts, selection.selection);
}

/** The node with this id, insisting on its kind. */
export function node<K extends NodeKind>(p: Plan, kind: K, id: string): NodeOfKind<K> {
  const n = p.nodes[id];
  if (!n) throw new Error(`no node ${id}; have ${Object.keys(p.nodes).join(', ')}`);
  if (n.kind !== kind) throw new Error(`${id} is a ${n.kind}`);
  return n as NodeOfKind<K>;
}

export const ids = (p: Plan, kind?: NodeKind) => p.order.filter((id) => !kind || p.nodes[id]!.kind === kind);
