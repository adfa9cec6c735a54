import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engineFacts } from '../../../src/plan/engines.js';
import type { EngineFacts, Plan, PlanFacts } from '../../../src/plan/nodes.js';
import { restorePlanArgs } from '../../../src/plan/secret-args.js';
import { toPlanJson } from '../../../src/ui/plan/plan-json.js';
import { fromPlanJson } from '../../../src/ui/plan/plan-json-read.js';
import { planJsonSchema, planJsonSchemaDocument } from '../../../src/ui/plan/plan-json-schema.js';
import { plan } from '../plan/fixtures.js';
import { incrementalPlan, inputsFacts, localConfig, registryAfter, sha, world } from '../plan/incremental-fixtures.js';

const EPOCH = 1_700_000_000;

/** Every feature a node can carry: prepare, scan, secrets, ssh, caches, annotations, signing, a layout, ECR, a direct build. */
function richConfig() {
  const config = localConfig({
    base: {
      prepare: { run: async () => {}, outputs: ['dist/**'] },
      secrets: { npm: { env: 'NPM_TOKEN' }, key: { file: './secrets/key' } },
      ssh: { default: {}, deploy: { socket: '/run/deploy.sock' } },
      cache: { from: [{ registry: 'local', repository: 'team/cache' }, { type: 'gha' }], to: [{ registry: 'local', repository: 'team/cache', mode: 'max' }, { type: 'local', dir: './.cache' }] },
      annotations: { index: { 'org.example.team': 'core' }, manifest: { 'org.example.arch': '{arch}' } },
    },
    web: {
      test: { http: { port: 8080, path: '/health' } },
      publish: [
        { registry: 'local', repository: 'team/web' },
        { registry: 'ecr', repository: 'web', format: 'docker' },
        { registry: 'layout', repository: 'team/web' },
      ],
    },
  }) as ReturnType<typeof localConfig> & Record<string, unknown>;
  (config.registries as Record<string, unknown>).ecr = {
    url: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    auth: { ecr: { region: 'eu-west-1', profile: 'ci' } },
    ecr: { createRepositories: true, imageTagMutability: 'IMMUTABLE', encryption: { kms: 'alias/team' }, lifecyclePolicy: { rules: [{ rulePriority: 1 }] } },
  };
  (config.registries as Record<string, unknown>).layout = { url: 'oci:./out/oci' };
  (config.images as Record<string, unknown>).static = {
    context: './static',
    platforms: ['linux/amd64', 'linux/arm64'],
    tags: ['v1'],
    publish: [{ registry: 'local', repository: 'team/static' }],
  };
  return { ...config, scan: { exceptions: [{ id: 'CVE-1', until: '2027-01-31', reason: 'no fix yet' }] } };
}

const richFacts: PlanFacts = {
  builder: { kind: 'buildx', description: 'docker buildx', nativePlatform: 'linux/amd64', emulated: ['aarch64'] },
  engines: { default: { reachable: true, version: '28.0.0', nativePlatform: 'linux/amd64', emulated: ['aarch64', 'arm'], host: 'unix:///var/run/docker.sock' } },
  git: { revision: 'abc123', created: '2026-12-01T10:00:00Z' },
  today: '2026-12-01',
  scanners: { trivy: { available: true, version: '0.58.1', db: { version: 'v2 2026-11-30T12:00:00Z', updatedAt: '2026-11-30T12:00:00Z' }, dbUpdate: 'fresh' } },
  lastScans: { 'scan:web@linux/arm64': { imageId: 'sha256:abcdef0123456789', scannerVersion: '0.58.1', dbVersion: 'v2 2026-11-29T12:00:00Z' } },
  dockerfiles: { static: { direct: true } },
  ownDirs: { web: ['out/oci'] },
  signing: { keyId: 'sha256:' + 'a'.repeat(64) },
  repositories: { ecr: { read: true, missing: ['web'] } },
};

function richPlans(): Plan[] {
  const config = richConfig();
  const signed = { ...config, sign: { key: { file: './cosign.key' } }, attest: { provenance: true, sbom: 'spdx' } };
  const before = plan(config, richFacts);
  const w = world();
  w.files.static = { Dockerfile: `f 644 ${sha('FROM scratch')}` };
  w.dockerfiles.static = sha('FROM scratch');
  const registry = registryAfter(before, inputsFacts(w, before), w);
  const now = world();
  now.files.static = w.files.static;
  now.dockerfiles.static = w.dockerfiles.static;
  now.files.base!['etc/motd'] = `f 644 ${sha('edited')}`;
  return [
    incrementalPlan(signed, (b) => ({ inputs: inputsFacts(w, b), registry }), richFacts),
    incrementalPlan(signed, (b) => ({ inputs: inputsFacts(now, b), registry }), richFacts),
  ];
}

/** Two targets where one lacks the image (copy), and a second tag (retag). */
function copyAndRetagPlans(): Plan[] {
  const twoTargets = (base: Record<string, unknown> = {}) => {
    const config = localConfig({ web: { publish: [{ registry: 'local', repository: 'team/web' }, { registry: 'hub', repository: 'team/web' }] }, base });
    (config as { registries: Record<string, unknown> }).registries.hub = { url: 'registry.example.com' };
    return config;
  };
  const two = twoTargets({ tags: ['v1', 'stable'] });
  const before = plan(twoTargets());
  const registry = registryAfter(before, inputsFacts(world(), before), world());
  const tags = { ...registry.tags };
  for (const key of Object.keys(tags)) if (key.startsWith('registry.example.com/')) tags[key] = null;
  return [incrementalPlan(two, (b) => ({ inputs: inputsFacts(world(), b), registry: { ...registry, tags, manifests: {} } }))];
}

/** The plan as apply sees it: the facts apply reads (planning-only facts are not saved). */
function asApplied(p: Plan): Plan {
  const { builder, git, today } = p.facts;
  const engines: Record<string, EngineFacts> = {};
  for (const b of Object.values(p.builders)) {
    const seen = engineFacts(b, p.facts);
    if (seen) engines[b.name] = seen;
  }
  return { ...p, facts: { ...(builder ? { builder } : {}), ...(Object.keys(engines).length > 0 ? { engines } : {}), ...(git ? { git } : {}), ...(today ? { today } : {}) } };
}

function roundTrip(p: Plan): Plan {
  const json = planJsonSchema.parse(JSON.parse(JSON.stringify(toPlanJson(p))));
  const read = fromPlanJson(json);
  if (!read.ok) throw new Error(JSON.stringify(read.issues, null, 2));
  return read.plan;
}

describe('plan JSON → Plan (what apply plan.json runs)', () => {
  const plans = [...richPlans(), ...copyAndRetagPlans()];

  it('covers every node kind and every action', () => {
    const seen = new Set(plans.flatMap((p) => Object.values(p.nodes).map((n) => `${n.kind} ${n.action.type}`)));
    expect([...seen].sort()).toEqual(
      ['build build', 'build reuse', 'index skip', 'index write', 'prepare run', 'prepare skip', 'push copy', 'push push', 'push retag', 'push skip', 'scan run', 'scan skip', 'test run', 'test skip'].sort(),
    );
    const nodes = plans.flatMap((p) => Object.values(p.nodes));
    // The rarer fields are really there, so the round trip below checks them.
    expect(nodes.some((n) => n.kind === 'build' && n.direct && n.secrets === undefined)).toBe(true);
    expect(nodes.some((n) => n.kind === 'build' && n.secrets && n.ssh && n.cache && n.cache.from.length > 1 && n.action.type === 'build' && n.action.record)).toBe(true);
    expect(nodes.some((n) => n.kind === 'build' && n.ignore)).toBe(true);
    expect(nodes.some((n) => n.kind === 'push' && n.target.ecr && n.target.repositories && n.sign && n.attest)).toBe(true);
    expect(nodes.some((n) => n.kind === 'push' && n.createRepositories?.[0]?.settings.encryption && n.createRepositories[0].profile === 'ci')).toBe(true);
    expect(nodes.some((n) => n.kind === 'index' && n.createRepositories)).toBe(true);
    expect(nodes.some((n) => n.kind === 'push' && n.target.layout && n.copyFrom)).toBe(true);
    expect(nodes.some((n) => n.kind === 'push' && n.annotations)).toBe(true);
    expect(nodes.some((n) => n.kind === 'index' && n.sign && n.children.some((c) => c.annotations))).toBe(true);
    expect(nodes.some((n) => n.kind === 'scan' && n.cache?.state === 'new-db' && n.scannerFacts?.available)).toBe(true);
    expect(nodes.some((n) => n.kind === 'build' && Object.values(n.args).some((a) => typeof a !== 'string'))).toBe(true);
  });

  it.each(plans.map((p, i) => [i, p] as const))('gives back exactly the plan apply runs (plan %i)', (_i, p) => {
    expect(roundTrip(p)).toEqual(asApplied(p));
  });

  it('saves a secret-looking build arg as ***, and apply takes its value from the config again', () => {
    const p = plan(localConfig({ web: { args: { NPM_TOKEN: 'npm_s3cr3tvalue', MODE: 'prod' } } }));
    const text = JSON.stringify(toPlanJson(p));
    expect(text).not.toContain('npm_s3cr3tvalue');
    const read = roundTrip(p);
    const build = read.nodes['build:web@linux/arm64']!;
    expect(build.kind === 'build' && build.args).toEqual({ NPM_TOKEN: '***', MODE: 'prod' });
    const restored = restorePlanArgs(read, () => ({ NPM_TOKEN: 'npm_s3cr3tvalue', MODE: 'prod' }));
    expect(restored).toEqual(asApplied(p));
  });
});

describe('the plan JSON schema', () => {
  it('is what docs/schema/plan.schema.json holds (regenerate: node node_modules/jiti/lib/jiti-cli.mjs scripts/write-plan-schema.ts)', () => {
    const file = JSON.parse(readFileSync(new URL('../../../docs/schema/plan.schema.json', import.meta.url), 'utf8')) as unknown;
    expect(file).toEqual(planJsonSchemaDocument());
  });

  it('rejects a missing or wrong field, naming its path', () => {
    const json = JSON.parse(JSON.stringify(toPlanJson(richPlans()[0]!))) as { images: Array<{ nodes: Array<Record<string, unknown>> }>; changes: Record<string, unknown> };
    const push = json.images[2]!.nodes.findIndex((n) => n.kind === 'push');
    delete json.images[2]!.nodes[push]!.action;
    (json.images[2]!.nodes[0] as { deps: unknown }).deps = 'none';
    delete json.changes.fingerprint;
    const result = planJsonSchema.safeParse(json);
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining([`images.2.nodes.${push}.action`, 'images.2.nodes.0.deps', 'changes.fingerprint']));
  });

  it('rejects unknown fields and refs that are not on their target, naming them', () => {
    const json = JSON.parse(JSON.stringify(toPlanJson(richPlans()[1]!))) as { images: Array<{ nodes: Array<Record<string, unknown>> }>; order: string[] };
    json.images[0]!.nodes[0]!.extra = 1;
    expect(planJsonSchema.safeParse(json).error?.issues).toMatchObject([{ path: ['images', 0, 'nodes', 0], code: 'unrecognized_keys' }]);
    delete json.images[0]!.nodes[0]!.extra;
    const i = json.images[0]!.nodes.findIndex((n) => n.kind === 'push');
    json.images[0]!.nodes[i]!.refs = ['elsewhere.example.com/team/base:v1-linux-amd64'];
    const t = json.images[0]!.nodes.findIndex((n) => n.kind === 'test');
    json.images[0]!.nodes[t]!.build = 'build:nowhere@linux/amd64';
    const [first, ...rest] = json.order;
    json.order = rest;
    const read = fromPlanJson(planJsonSchema.parse(json));
    // Each problem once: the push that does not convert is not reported again by what refers to it.
    expect(!read.ok && read.issues).toEqual([
      { path: ['images', 0, 'nodes', i, 'refs', 0], message: 'elsewhere.example.com/team/base:v1-linux-amd64 is not a tag on 127.0.0.1:5000 (host/repository:tag)' },
      { path: ['order'], message: `node ${first} is missing from the order` },
      { path: ['images', 0, 'nodes', t, 'build'], message: 'build:nowhere@linux/amd64 is not a build node of the plan' },
    ]);
  });
});
