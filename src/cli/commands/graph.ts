/**
 * `multiarch graph`: the plan's graph as Mermaid or Graphviz dot on stdout. Planned from the
 * config alone — no engine is asked — so it runs anywhere docs are built.
 */
import { loadConfig } from '../../config/load.js';
import { MultiarchError } from '../../errors/multiarch-error.js';
import { createPlan } from '../../plan/create-plan.js';
import { resolveSelection } from '../../plan/selection.js';
import { formatGraphDot } from '../../ui/plan/graph-dot.js';
import { formatGraphMermaid } from '../../ui/plan/graph-mermaid.js';
import type { ConfigCommand } from '../config-args.js';
import type { CliIo } from '../io.js';

type GraphOptions = Extract<ConfigCommand, { command: 'graph' }>;

export async function graphCommand(options: GraphOptions, io: CliIo): Promise<number> {
  const { config } = await loadConfig({ cwd: io.cwd, ...(options.config ? { file: options.config } : {}) });
  const selection = resolveSelection(config, { images: options.images, platforms: options.platforms });
  if (!selection.ok) throw new MultiarchError('E_USAGE', selection.message, { hint: selection.hint });
  const plan = createPlan(config, {}, selection.selection);
  io.stdout(options.format === 'dot' ? formatGraphDot(plan) : formatGraphMermaid(plan));
  return 0;
}
