/**
 * Golden files for the commands that write configs (init, add, import, graph): the output is
 * compared with test/golden/<name>, and `UPDATE_GOLDEN=1 npx vitest run …` rewrites them. Written
 * configs are then loaded and planned for real, so a golden file is never only a string.
 */
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config/load.js';
import { formatPlatform } from '../../src/config/platform.js';
import type { ResolvedConfig } from '../../src/config/resolved.js';
import { createPlan } from '../../src/plan/create-plan.js';
import { nodeRefs } from '../../src/plan/describe-node.js';
import type { Plan } from '../../src/plan/nodes.js';
import { resolveSelection } from '../../src/plan/selection.js';

const GOLDEN_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../golden');

export function expectGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1' || !fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, actual);
    if (process.env.UPDATE_GOLDEN !== '1') throw new Error(`wrote the missing golden file ${name}; check it and run again`);
  }
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}

export interface Planned {
  readonly config: ResolvedConfig;
  readonly plan: Plan;
  /** `image@platform` of every build. */
  readonly builds: string[];
  /** Every ref the plan writes, sorted. */
  readonly refs: string[];
  /** The refs of the multi-arch indexes only, sorted. */
  readonly indexRefs: string[];
}

/** Loads the config in `dir` (or `file`) as `multiarch plan` would, and plans it without an engine. */
export async function loadAndPlan(dir: string, file?: string): Promise<Planned> {
  const { config } = await loadConfig({ cwd: dir, ...(file ? { file } : {}) });
  const selection = resolveSelection(config, {});
  if (!selection.ok) throw new Error(selection.message);
  const plan = createPlan(config, {}, selection.selection);
  const nodes = Object.values(plan.nodes);
  return {
    config,
    plan,
    builds: nodes.flatMap((n) => (n.kind === 'build' ? [`${n.image}@${formatPlatform(n.platform)}`] : [])).sort(),
    refs: nodes.flatMap(nodeRefs).sort(),
    indexRefs: nodes.flatMap((n) => (n.kind === 'index' ? nodeRefs(n) : [])).sort(),
  };
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process in `cwd`, without a terminal. */
export async function cli(cwd: string, ...argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    cwd,
    env: { NO_COLOR: '1' },
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTTY: false,
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}
