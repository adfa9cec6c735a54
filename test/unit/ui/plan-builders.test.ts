import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { PlanFacts } from '../../../src/plan/nodes.js';
import { toPlanJson } from '../../../src/ui/plan/plan-json.js';
import { formatPlanText } from '../../../src/ui/plan/plan-text.js';
import { facts, makePlan, userConfig } from './fixtures.js';

const routed = {
  ...userConfig,
  builders: {
    'linux/arm64': { docker: { host: 'ssh://ec2-user@graviton-builder' }, concurrency: 2 },
    default: { docker: { context: 'amd-builder' } },
  },
  images: { ...userConfig.images, base: { ...userConfig.images.base, prepare: { run: async () => {}, outputs: ['dist/**'] } } },
};
const up: PlanFacts = {
  ...facts,
  engines: {
    'linux/arm64': { reachable: true, version: '27.1.1', nativePlatform: 'linux/arm64' },
    default: { reachable: true, version: '28.0.0', nativePlatform: 'linux/amd64', host: 'tcp://amd:2376' },
  },
};
const down: PlanFacts = { ...up, engines: { ...up.engines, 'linux/arm64': { reachable: false, problem: 'ssh: connect to host graviton-builder port 22: Connection refused' } } };

const schema = JSON.parse(readFileSync(new URL('../../../docs/schema/plan.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

describe('plan text: builders and prepare steps', () => {
  it('lists each builder with its engine and which builds run natively there', () => {
    const out = formatPlanText(makePlan(routed, up), { color: false });
    expect(out).toContain('Builders:\n');
    expect(out).toContain('  default → context amd-builder: engine 28.0.0 linux/amd64 — native linux/amd64');
    expect(out).toContain('  linux/arm64 → ssh://ec2-user@graviton-builder, 2 at once: engine 27.1.1 linux/arm64 — native linux/arm64');
    expect(out).toContain('build linux/arm64  on linux/arm64  native  context ./web');
    expect(out).toContain('prep  linux/arm64  on the host: async () => {}  → dist/**');
    expect(out.split('\n').at(-1)).toBe('Plan: 2 prepare steps, 4 builds, 4 tests, 4 pushes, 3 indexes — 9 refs to write.');
  });

  it('says which builder is unreachable, why, and which builds will fail', () => {
    const out = formatPlanText(makePlan(routed, down), { color: false });
    expect(out).toContain('  ✗ linux/arm64 → ssh://ec2-user@graviton-builder, 2 at once: unreachable — ssh: connect to host graviton-builder port 22: Connection refused');
    expect(out).toContain('      its 2 builds will fail: base linux/arm64, web linux/arm64');
  });

  it('has no Builders section for a config without builders', () => {
    const out = formatPlanText(makePlan(), { color: false });
    expect(out).not.toContain('Builders:');
    expect(out).toContain('build linux/arm64  emulated (QEMU)  context ./web');
  });
});

describe('plan JSON: builders and prepare steps', () => {
  it.each([
    ['reachable builders', up],
    ['an unreachable builder', down],
    ['no engine facts', {}],
  ])('matches the schema with %s', (_name, planFacts) => {
    const json = JSON.parse(JSON.stringify(toPlanJson(makePlan(routed, planFacts as PlanFacts))));
    expect(validate(json) ? null : validate.errors).toBeNull();
  });

  it('lists the builders and puts each build on one', () => {
    const json = toPlanJson(makePlan(routed, down));
    expect(json.builders).toEqual([
      { name: 'default', host: null, context: 'amd-builder', concurrency: null, engine: { reachable: true, version: '28.0.0', nativePlatform: 'linux/amd64', emulated: null, host: 'tcp://amd:2376' } },
      { name: 'linux/arm64', host: 'ssh://ec2-user@graviton-builder', context: null, concurrency: 2, engine: { reachable: false, problem: 'ssh: connect to host graviton-builder port 22: Connection refused' } },
    ]);
    const base = json.images.find((i) => i.name === 'base')!;
    expect(base.nodes.find((n) => n.id === 'build:base@linux/arm64')).toMatchObject({ builder: 'linux/arm64', deps: ['prepare:base@linux/arm64'] });
    expect(base.nodes.find((n) => n.id === 'prepare:base@linux/arm64')).toMatchObject({ kind: 'prepare', outputs: ['dist/**'], source: { description: 'async () => {}' } });
    expect(json.totals.prepares).toBe(2);
  });

  it('shows the ambient engine for a config without builders', () => {
    expect(toPlanJson(makePlan()).builders).toEqual([
      { name: 'default', host: null, context: null, concurrency: null, engine: { reachable: true, version: null, nativePlatform: 'linux/amd64', emulated: ['aarch64'], host: null } },
    ]);
  });
});
