import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { nodeRefs } from '../../../src/plan/describe-node.js';
import { toPlanJson } from '../../../src/ui/plan/plan-json.js';
import { facts, makePlan, userConfig } from './fixtures.js';

const schema = JSON.parse(readFileSync(new URL('../../../docs/schema/plan.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

describe('toPlanJson', () => {
  it.each([
    ['the full plan', () => makePlan()],
    ['a partial plan with notes', () => makePlan(userConfig, facts, { images: ['web'], platforms: ['linux/arm64'] })],
    ['a plan without builder facts', () => makePlan(userConfig, { git: { revision: 'abc123', source: 'https://example.com/repo' } })],
  ])('matches docs/schema/plan.schema.json for %s', (_name, plan) => {
    const json = JSON.parse(JSON.stringify(toPlanJson(plan())));
    const ok = validate(json);
    expect(ok ? null : validate.errors).toBeNull();
  });

  it('round-trips through JSON unchanged (no undefined, no class instances)', () => {
    const json = toPlanJson(makePlan());
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('lists every ref the plan writes, with the node that writes it', () => {
    const plan = makePlan();
    const json = toPlanJson(plan);
    const expected = plan.order.flatMap((id) => nodeRefs(plan.nodes[id]!).map((ref) => ({ ref, node: id })));
    expect(json.refs.map((r) => ({ ref: r.ref, node: r.node }))).toEqual(expected);
    expect(json.refs).toContainEqual({
      ref: '127.0.0.1:5000/team/web:latest-linux-arm64',
      kind: 'platform',
      node: 'push:web@linux/arm64->local',
      image: 'web',
      platform: 'linux/arm64',
      target: 'local',
    });
    expect(json.refs).toContainEqual({ ref: '127.0.0.1:5000/team/web:v1', kind: 'index', node: 'index:web:v1->local', image: 'web', platform: null, target: 'local' });
    expect(json.totals).toEqual({ prepares: 0, builds: 4, tests: 4, scans: 0, pushes: 4, indexes: 3, refs: 9 });
  });

  it('groups nodes by image in dependency order, with flattened platforms and nulls for absent fields', () => {
    const json = toPlanJson(makePlan());
    expect(json.schemaVersion).toBe(2);
    expect(json.images.map((i) => i.name)).toEqual(['base', 'web']);
    expect(json.images[1]!.platforms).toEqual(['linux/amd64', 'linux/arm64']);
    const build = json.images[1]!.nodes.find((n) => n.id === 'build:web@linux/arm64');
    expect(build).toMatchObject({ kind: 'build', platform: 'linux/arm64', runs: 'emulated', target: null, label: 'web linux/arm64 build' });
    const test = json.images[1]!.nodes.find((n) => n.id === 'test:web@linux/arm64');
    expect(test).toMatchObject({ command: null, expectOutput: null, http: { port: 8080, path: '/health', expectStatus: 200, timeoutSeconds: 60 } });
    const index = json.images[1]!.nodes.find((n) => n.id === 'index:web:v1->local');
    expect(index).toMatchObject({
      ref: '127.0.0.1:5000/team/web:v1',
      children: [
        { platform: 'linux/amd64', node: 'push:web@linux/amd64->local' },
        { platform: 'linux/arm64', node: 'push:web@linux/arm64->local' },
      ],
    });
    expect(json.builder).toEqual(facts.builder);
    expect(json.git).toBeNull();
  });
});
