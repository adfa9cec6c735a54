import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPlanFile, writePlanFile } from '../../../src/cli/plan-file.js';
import type { MultiarchError } from '../../../src/errors/multiarch-error.js';
import type { Plan } from '../../../src/plan/nodes.js';
import { toPlanJson } from '../../../src/ui/plan/plan-json.js';
import { planJsonSchema } from '../../../src/ui/plan/plan-json-schema.js';
import { plan } from '../plan/fixtures.js';
import { incrementalPlan, inputsFacts, localConfig, registryAfter, world } from '../plan/incremental-fixtures.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'multiarch-plan-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function savedPlan(): Plan {
  const config = localConfig({ web: { args: { API_TOKEN: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' } } });
  const base = plan(config);
  const registry = registryAfter(base, inputsFacts(world(), base), world());
  return incrementalPlan(config, (b) => ({ inputs: inputsFacts(world(), b), registry }));
}

async function failure(file: string): Promise<MultiarchError> {
  try {
    await readPlanFile(file);
  } catch (error) {
    return error as MultiarchError;
  }
  throw new Error(`${file} was read`);
}

const write = (name: string, content: unknown) => {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};

describe('saved plans (plan --out, apply plan.json)', () => {
  it('writes the plan JSON that plan --json prints, without the secret, and reads back the plan apply runs', async () => {
    const p = savedPlan();
    const file = path.join(dir, 'plan.json');
    await writePlanFile(file, p);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(toPlanJson(p))));
    expect(planJsonSchema.safeParse(JSON.parse(text)).success).toBe(true);
    const read = await readPlanFile(file);
    expect(read.order).toEqual(p.order);
    expect(read.changes).toEqual(p.changes);
    expect(read.nodes['push:web@linux/amd64->local']).toEqual(p.nodes['push:web@linux/amd64->local']);
    const build = read.nodes['build:web@linux/amd64']!;
    expect(build.kind === 'build' && build.args.API_TOKEN).toBe('***');
  });

  it('refuses a plan saved by an older multiarch, and one of another schemaVersion, saying what to do', async () => {
    const old = await failure(write('old.json', { version: 1, configFile: '/x/multiarch.config.ts', order: [], nodes: {}, notes: [] }));
    expect(old.code).toBe('E_PLAN_FILE');
    expect(old.message).toBe('old.json was saved by an older multiarch (its own internal plan, before saved plans were the plan JSON)');
    expect(old.hint).toMatch(/^re-run `multiarch plan --out plan\.json`/);
    const v1 = await failure(write('v1.json', { ...toPlanJson(savedPlan()), schemaVersion: 1 }));
    expect(v1.message).toBe('v1.json has schemaVersion 1; this multiarch applies plans of schemaVersion 2');
    expect((await failure(write('other.json', { hello: 'world' }))).message).toBe('other.json is not a plan saved by `multiarch plan --out` (no schemaVersion)');
    expect((await failure(write('broken.json', '{ "schemaVersion": 2,'))).message).toMatch(/^cannot read the saved plan .*broken\.json: /);
  });

  it('names each wrong field of an edited plan by its path and node', async () => {
    const json = JSON.parse(JSON.stringify(toPlanJson(savedPlan()))) as { images: Array<{ nodes: Array<Record<string, unknown>> }> };
    const nodes = json.images[1]!.nodes;
    const push = nodes.findIndex((n) => n.id === 'push:web@linux/amd64->local');
    (nodes[push]!.action as Record<string, unknown>).type = 'delete';
    delete nodes[0]!.label;
    const error = await failure(write('edited.json', json));
    expect(error.message).toBe('edited.json is not a plan multiarch can apply: 2 fields are missing or wrong (was it edited, or made by another multiarch version?)');
    expect(error.details).toEqual([
      `images[1].nodes[0] (${nodes[0]!.id as string}).label: Invalid input: expected string, received undefined`,
      `images[1].nodes[${push}] (push:web@linux/amd64->local).action.type: Invalid discriminator value. Expected 'push' | 'skip' | 'copy' | 'retag'`,
    ]);
    expect(error.hint).toMatch(/^re-run `multiarch plan --out plan\.json`/);
  });

  it('refuses a plan made without registry state: it cannot be checked before it is applied', async () => {
    const file = path.join(dir, 'no-state.json');
    await writePlanFile(file, plan(localConfig()));
    expect((await failure(file)).message).toBe('no-state.json was saved without registry state (no Docker engine was found when it was made), so it cannot be checked before it is applied');
  });
});
