import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { formatChangeSummary, formatPlanChanges } from '../../../src/ui/plan/plan-changes.js';
import { toPlanJson } from '../../../src/ui/plan/plan-json.js';
import { plan } from '../plan/fixtures.js';
import { emptyRegistry, incrementalPlan, inputsFacts, localConfig, registryAfter, sha, world } from '../plan/incremental-fixtures.js';

const config = localConfig();
const schema = JSON.parse(readFileSync(new URL('../../../docs/schema/plan.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

function changedPlan() {
  const base = plan(config);
  const registry = registryAfter(base, inputsFacts(world(), base), world());
  const now = world();
  now.files.web!['src/a.txt'] = `f 644 ${sha('edited')}`;
  return incrementalPlan(config, (b) => ({ inputs: inputsFacts(now, b), registry }));
}

describe('formatPlanChanges', () => {
  it('reads like a diff: symbol, platform, action, reasons, the steps that run', () => {
    const text = formatPlanChanges(changedPlan(), { color: false, verbose: true });
    expect(text).toContain('State: read from the publish targets just now');
    expect(text).toContain('Symbols: ~ rebuild  ~ update  = up to date');
    expect(text).toMatch(/^ {2}= linux\/amd64 {2}up to date {2}127\.0\.0\.1:5000\/team\/base:v1-linux-amd64\n {6}\(sha256:[0-9a-f]{12}\)$/m);
    // The build says which published image its layer cache comes from: the arm64 child of web:v1.
    expect(text).toMatch(
      / {2}~ linux\/arm64 {2}rebuild\n {6}files: modified src\/a\.txt\n {4}~ build linux\/arm64 {2}context \.\/web\n {12}BASE = 127\.0\.0\.1:5000\/team\/base@<digest of base linux\/arm64>\n {12}cache: from 127\.0\.0\.1:5000\/team\/web@sha256:[0-9a-f]{12}\n {6}test {2}none configured: platform images are pushed untested\n {4}~ push {2}linux\/arm64 → local {2}\(oci\)\n {12}127\.0\.0\.1:5000\/team\/web:v1-linux-arm64/,
    );
    expect(text).toContain('  = index v1 → local  unchanged  127.0.0.1:5000/team/base:v1');
    expect(text).toContain('  ~ index v1 → local  update  127.0.0.1:5000/team/web:v1  (linux/amd64 rebuilt,\n      linux/arm64 rebuilt, linux/arm/v7 rebuilt)');
    expect(text.split('\n').at(-1)).toBe('Plan: 3 to build, 3 to push, 1 index to update, 10 unchanged.');
    expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
  });

  it('folds an image apply leaves as it is into one line unless --verbose', () => {
    const text = formatPlanChanges(changedPlan(), { color: false });
    expect(text).toContain('\n  = 1 image up to date: base\n');
    expect(text).not.toContain('index v1 → local  unchanged');
    expect(text).toContain('  ~ index v1 → local  update  127.0.0.1:5000/team/web:v1');
  });

  it('says when nothing is published yet, and when it planned offline', () => {
    const p = incrementalPlan(config, (b) => ({ inputs: inputsFacts(world(), b), registry: { ...emptyRegistry(), source: 'local' } }));
    const text = formatPlanChanges(p, { color: false });
    expect(text).toContain('offline — registries not read');
    expect(text).toContain('  + linux/amd64  create\n      not seen on this machine before (offline: registries not read)');
    expect(text).toContain('  + index v1 → local  create  127.0.0.1:5000/team/web:v1  (linux/amd64,\n      linux/arm64, linux/arm/v7)');
  });

  it('closes with Terraform-style totals', () => {
    expect(formatChangeSummary({ build: 2, push: 3, indexCreate: 0, indexUpdate: 1, unchanged: 14 })).toBe('Plan: 2 to build, 3 to push, 1 index to update, 14 unchanged.');
    expect(formatChangeSummary({ build: 0, push: 0, indexCreate: 0, indexUpdate: 0, unchanged: 9 })).toBe('Plan: 0 to build, 0 to push, 0 indexes to update, 9 unchanged.');
    expect(formatChangeSummary({ build: 4, push: 4, indexCreate: 2, indexUpdate: 1, unchanged: 0 })).toBe('Plan: 4 to build, 4 to push, 2 indexes to create, 1 index to update, 0 unchanged.');
  });
});

describe('plan --json changes', () => {
  it('matches docs/schema/plan.schema.json and says what each node does', () => {
    const json = JSON.parse(JSON.stringify(toPlanJson(changedPlan())));
    expect(validate(json) ? null : validate.errors).toBeNull();
    const changes = json.changes as NonNullable<ReturnType<typeof toPlanJson>['changes']>;
    expect(changes.state).toBe('registry');
    expect(changes.summary).toEqual({ build: 3, push: 3, indexCreate: 0, indexUpdate: 1, unchanged: 10, hasChanges: true });
    expect(changes.platforms.find((p) => p.node === 'build:web@linux/amd64')).toMatchObject({
      action: 'rebuild',
      reasons: ['files: modified src/a.txt'],
      current: null,
      pushes: [{ node: 'push:web@linux/amd64->local', target: 'local', action: 'push', from: null, write: ['127.0.0.1:5000/team/web:v1-linux-amd64'] }],
    });
    expect(changes.platforms.find((p) => p.node === 'build:base@linux/amd64')).toMatchObject({ action: 'up-to-date', current: { ref: '127.0.0.1:5000/team/base:v1-linux-amd64' } });
    expect(changes.indexes.map((i) => i.action)).toEqual(['unchanged', 'update']);
  });

  it('is null for a plan made without registry state', () => {
    const json = toPlanJson(plan(config));
    expect(json.changes).toBeNull();
    expect(validate(JSON.parse(JSON.stringify(json))) ? null : validate.errors).toBeNull();
  });
});
