/**
 * The boundary gate (scripts/check-boundaries.mjs: dependency-cruiser rules plus the globals and
 * exit-code checks) is trusted because each rule fails here on a violation planted in a copy of
 * src/, and the copy without plants passes. One run for all plants: a cruise takes seconds.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '../../..');
const copy = mkdtempSync(path.join(os.tmpdir(), 'multiarch-boundaries-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

/** file → contents: one violation of each rule (some break a second rule too). */
const PLANTS: Record<string, string> = {
  // allowed-imports-plan, pure-reaches-no-edge: the planner reads a registry.
  'src/plan/planted-registry.ts': "import { createRegistryPool } from '../registry/pool.js';\nexport const pool = createRegistryPool;\n",
  // pure-reaches-no-io, transitively: a pure config module reaches node:fs through load.ts.
  'src/config/planted-indirect.ts': "import { loadConfig } from './load.js';\nexport const load = loadConfig;\n",
  // pure-reads-no-globals: randomness and the clock in the planner.
  'src/plan/planted-random.ts': 'export const pick = (n: number) => Math.floor(Math.random() * n) + Date.now();\n',
  // ui-reads-no-registry-docker-state: a reporter asks docker.
  'src/ui/planted-summary.ts': "import type { DockerClient } from '../docker/client.js';\nexport type Client = DockerClient;\n",
  // allowed-imports-exec: a step reaches the engine, a scanner or a registry around the ports (exec/ports/).
  'src/exec/steps/planted-engine.ts':
    "import type { DockerClient } from '../../docker/client.js';\nimport type { ScanServices } from '../../scanners/scan-services.js';\nimport type { RegistryPool } from '../../registry/pool.js';\nexport type Adapters = [DockerClient, ScanServices, RegistryPool];\n",
  // exit-codes-only-in-cli: a step sets the exit code.
  'src/exec/steps/planted-exit.ts': 'export function fail(): void {\n  process.exitCode = 3;\n}\n',
  // no-cycles: two modules import each other.
  'src/sys/planted-a.ts': "import { b } from './planted-b.js';\nexport const a = () => b;\n",
  'src/sys/planted-b.ts': "import { a } from './planted-a.js';\nexport const b = () => a;\n",
  // no-folder-cycles (type imports count): errors → exec → errors.
  'src/errors/planted-knot.ts': "import type { RunSummary } from '../exec/events.js';\nexport type Knot = RunSummary;\n",
  // only-cli-reads-facts, allowed-imports-exec: the executor gathers facts itself.
  'src/exec/planted-facts.ts': "import type { Facts } from '../facts/facts.js';\nexport type Seen = Facts;\n",
  // allowed-imports-facts: facts reach into the CLI's options.
  'src/facts/planted-cli.ts': "import type { CliOptions } from '../cli/args.js';\nexport type Options = CliOptions;\n",
  // max-lines
  'src/sys/planted-long.ts': Array.from({ length: 401 }, (_, i) => `export const line${i} = ${i};`).join('\n') + '\n',
};

function check(root: string) {
  const run = spawnSync(process.execPath, [path.join(REPO, 'scripts/check-boundaries.mjs'), root], { encoding: 'utf8' });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

describe('boundary rules fail on planted violations', () => {
  it('passes the copy as it is, and names every planted violation once planted', { timeout: 300_000 }, () => {
    for (const entry of ['src', 'tsconfig.json', '.dependency-cruiser.cjs']) cpSync(path.join(REPO, entry), path.join(copy, entry), { recursive: true });
    const clean = check(copy);
    expect(clean.out).toContain('check-boundaries: ok');
    expect(clean.code).toBe(0);

    for (const [file, text] of Object.entries(PLANTS)) writeFileSync(path.join(copy, file), text);
    const planted = check(copy);
    expect(planted.code).toBe(1);
    const lines = planted.out.split('\n');
    const has = (file: string, rule: string, detail = '') =>
      expect(lines.some((l) => l.startsWith(file) && l.includes(rule) && l.includes(detail)), `${file}: ${rule} ${detail}\n${planted.out}`).toBe(true);
    has('src/plan/planted-registry.ts', 'allowed-imports-plan', 'src/registry/pool.ts');
    has('src/plan/planted-registry.ts', 'pure-reaches-no-edge');
    has('src/config/planted-indirect.ts', 'pure-reaches-no-io');
    has('src/plan/planted-random.ts:1', 'pure-reads-no-globals', 'Math.random(');
    has('src/plan/planted-random.ts:1', 'pure-reads-no-globals', 'Date.now(');
    has('src/ui/planted-summary.ts', 'ui-reads-no-registry-docker-state');
    has('src/exec/steps/planted-engine.ts', 'allowed-imports-exec', 'src/docker/client.ts');
    has('src/exec/steps/planted-engine.ts', 'allowed-imports-exec', 'src/scanners/scan-services.ts');
    has('src/exec/steps/planted-engine.ts', 'allowed-imports-exec', 'src/registry/pool.ts');
    has('src/exec/steps/planted-exit.ts:2', 'exit-codes-only-in-cli');
    has('src/sys/planted-a.ts', 'no-cycles');
    has('src/errors/', 'no-folder-cycles', 'src/errors/planted-knot.ts → src/exec/events.ts');
    has('src/exec/planted-facts.ts', 'only-cli-reads-facts', 'src/facts/facts.ts');
    has('src/exec/planted-facts.ts', 'allowed-imports-exec', 'src/facts/facts.ts');
    has('src/facts/planted-cli.ts', 'allowed-imports-facts', 'src/cli/args.ts');
    has('src/sys/planted-long.ts', 'max-lines');
  });
});
