/**
 * ECR repositories (issue 17) against a stand-in for ECR's API (test/e2e/support/ecr-stand-in.ts;
 * no AWS here), reached through the SDK's AWS_ENDPOINT_URL_ECR. An ECR host name cannot be
 * resolved here (and plan reads the registry's tags), so every case publishes to the real local
 * registry through an entry whose `ecr.account`/`ecr.region` are given (as for a host in front of
 * ECR): the repository part — facts, plan, creation with the settings, ordering before the first
 * push, idempotence, the plan error — is the real code path; only the registry the images land in
 * is the local one. The `<account>.dkr.ecr.<region>` host parsing is unit-tested.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multiarch, parseEvents } from './support/cli.js';
import { startEcrStandIn, type EcrStandIn } from './support/ecr-stand-in.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';
import { isIndex, listTags, skopeoInspectRaw } from './support/registry.js';

const ACCOUNT = '123456789012';
const REGION = 'us-west-2';
const stamp = Date.now();
const repo = `e2e/ecr17-${stamp}/web`;
const lifecycle = { rules: [{ rulePriority: 1, description: 'expire untagged', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }, action: { type: 'expire' } }] };

const config = (registry: string, repo: string) => `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { ecr: ${registry} },
  images: {
    web: {
      context: './web',
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: ['v1'],
      publish: [{ registry: 'ecr', repository: '${repo}' }],
    },
  },
});
`;

let ecr: EcrStandIn;
beforeAll(async () => {
  // CreateRepository answers late: a push that did not wait for it would write first.
  ecr = await startEcrStandIn({ account: ACCOUNT, region: REGION, createDelayMs: 1500 });
});
afterAll(() => ecr.close());

const files = (registry: string, repo = `e2e/ecr17-${stamp}/web`) => ({ 'web/Dockerfile': `FROM ${testEnv().baseImage}\nCOPY hello.txt /hello.txt\n`, 'web/hello.txt': `ecr ${stamp}\n`, 'multiarch.config.ts': config(registry, repo) });

describe('ECR repositories', () => {
  it('plans a missing repository, creates it once before the first push, then plans nothing to create', async () => {
    const dir = makeFixture(
      files(`{ url: '${testEnv().registry}', insecure: true, ecr: { account: '${ACCOUNT}', region: '${REGION}', createRepositories: true, imageTagMutability: 'IMMUTABLE', scanOnPush: true, lifecyclePolicy: ${JSON.stringify(lifecycle)} } }`),
    );
    const plan = await multiarch(['plan'], { cwd: dir, env: ecr.env });
    expect(plan.exitCode, plan.all).toBe(0);
    const text = plan.stdout.replace(/\s+/g, ' ');
    expect(text).toContain(`+ repository ${repo} → ecr (immutable tags, scan on push, lifecycle policy (1 rule)) create`);
    expect(text).toContain('1 ECR repository to create');
    // Planning only reads.
    expect(ecr.calls.map((c) => c.op)).toEqual(['DescribeRepositories']);
    expect(ecr.calls[0]!.body).toEqual({ registryId: ACCOUNT, repositoryNames: [repo] });

    const json = await multiarch(['plan', '--json'], { cwd: dir, env: ecr.env });
    expect(json.exitCode, json.all).toBe(0);
    const planned = (JSON.parse(json.stdout) as { repositories: Array<Record<string, unknown>> }).repositories;
    expect(planned).toEqual([
      {
        registry: 'ecr',
        ref: `${testEnv().registry}/${repo}`,
        repository: repo,
        account: ACCOUNT,
        region: REGION,
        settings: { imageTagMutability: 'IMMUTABLE', scanOnPush: true, encryption: null, lifecyclePolicy: JSON.stringify(lifecycle) },
        checked: true,
        nodes: ['push:web@linux/amd64->ecr', 'push:web@linux/arm64->ecr', 'index:web:v1->ecr'],
      },
    ]);

    ecr.calls.length = 0;
    const apply = await multiarch(['apply', '--json'], { cwd: dir, env: ecr.env });
    expect(apply.exitCode, apply.all).toBe(0);
    expect(apply.all).not.toContain(ecr.env.AWS_SECRET_ACCESS_KEY);
    const creates = ecr.calls.filter((c) => c.op === 'CreateRepository');
    expect(creates.map((c) => c.body)).toEqual([{ registryId: ACCOUNT, repositoryName: repo, imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true } }]);
    expect(ecr.calls.filter((c) => c.op === 'PutLifecyclePolicy').map((c) => c.body)).toEqual([{ registryId: ACCOUNT, repositoryName: repo, lifecyclePolicyText: JSON.stringify(lifecycle) }]);
    expect(ecr.repositories.get(repo)?.imageTagMutability).toBe('IMMUTABLE');

    // Created before anything was written: no push reported progress before ECR answered.
    const events = parseEvents(apply.stdout);
    const created = events.filter((e) => e.type === 'node:end' && (e.result as { repositoriesCreated?: string[] } | undefined)?.repositoriesCreated);
    expect(created.map((e) => (e.result as { repositoriesCreated: string[] }).repositoriesCreated)).toEqual([[`${testEnv().registry}/${repo}`]]);
    const writes = events.filter((e) => e.type === 'node:progress' && String(e.id).startsWith('push:') && !String(e.message).startsWith('creating repository'));
    expect(writes.length).toBeGreaterThan(0);
    for (const w of writes) expect(w.at as number).toBeGreaterThanOrEqual(creates[0]!.at!);
    expect(isIndex(await skopeoInspectRaw(`${testEnv().registry}/${repo}:v1`))).toBe(true);

    ecr.calls.length = 0;
    const again = await multiarch(['plan', '--json'], { cwd: dir, env: ecr.env });
    expect(again.exitCode, again.all).toBe(0);
    expect((JSON.parse(again.stdout) as { repositories: unknown[] }).repositories).toEqual([]);
    expect(ecr.calls.map((c) => c.op)).toEqual(['DescribeRepositories']);
  });

  it('a saved plan keeps its creations: apply plan.json creates the repository as shown, then pushes', async () => {
    const repo = `e2e/ecr17-${stamp}/saved`;
    const dir = makeFixture(
      files(`{ url: '${testEnv().registry}', insecure: true, ecr: { account: '${ACCOUNT}', region: '${REGION}', createRepositories: true, encryption: { kms: 'alias/team' } } }`, repo),
    );
    const plan = await multiarch(['plan', '--out', 'plan.json'], { cwd: dir, env: ecr.env });
    expect(plan.exitCode, plan.all).toBe(0);
    type Node = { id: string; createRepositories?: Array<Record<string, unknown>>; target?: { ecrRepositories?: Record<string, unknown> } };
    const saved = JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8')) as { images: Array<{ nodes: Node[] }>; repositories: Array<{ ref: string }> };
    const creation = { repository: repo, account: ACCOUNT, region: REGION, profile: null, settings: { imageTagMutability: null, scanOnPush: null, encryption: { type: 'KMS', kmsKey: 'alias/team' }, lifecyclePolicy: null }, checked: true };
    const writers = saved.images[0]!.nodes.filter((n) => n.id.startsWith('push:') || n.id.startsWith('index:'));
    expect(writers.map((n) => [n.id, n.createRepositories])).toEqual(writers.map((n) => [n.id, [creation]]));
    expect(writers[0]!.target?.ecrRepositories).toMatchObject({ account: ACCOUNT, region: REGION, create: true });
    expect(saved.repositories.map((r) => r.ref)).toEqual([`${testEnv().registry}/${repo}`]);

    // Apply does what the file says: it creates without asking again, with the saved settings.
    ecr.calls.length = 0;
    const apply = await multiarch(['apply', 'plan.json'], { cwd: dir, env: ecr.env });
    expect(apply.exitCode, apply.all).toBe(0);
    expect(ecr.calls.map((c) => [c.op, c.body])).toEqual([['CreateRepository', { registryId: ACCOUNT, repositoryName: repo, encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'alias/team' } }]]);
    expect(isIndex(await skopeoInspectRaw(`${testEnv().registry}/${repo}:v1`))).toBe(true);
  });

  it('a missing repository without createRepositories is a plan error with the fix', async () => {
    const repo = `e2e/ecr17-${stamp}/missing`;
    const dir = makeFixture(files(`{ url: '${testEnv().registry}', insecure: true, ecr: { account: '${ACCOUNT}', region: '${REGION}' } }`, repo));
    const plan = await multiarch(['plan'], { cwd: dir, env: ecr.env });
    expect(plan.exitCode, plan.all).toBe(1);
    expect(plan.stderr).toContain('1 ECR repository this plan pushes to does not exist');
    expect(plan.stderr).toContain(`missing: ${testEnv().registry}/${repo}`);
    expect(plan.stderr).toContain('set registries.ecr.ecr.createRepositories: true');
    expect(plan.all).not.toContain(ecr.env.AWS_SECRET_ACCESS_KEY);
  });

  it('a registry it cannot read is a note; the plan creates each repository if missing, apply says why it could not', async () => {
    const repo = `e2e/ecr17-${stamp}/unread`;
    const dir = makeFixture(files(`{ url: '${testEnv().registry}', insecure: true, ecr: { account: '${ACCOUNT}', region: '${REGION}', createRepositories: true } }`, repo));
    const plan = await multiarch(['plan'], { cwd: dir, env: { ...ecr.env, AWS_ACCESS_KEY_ID: 'AKIAWRONGKEY00000000' } });
    expect(plan.exitCode, plan.all).toBe(0);
    const text = plan.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('ECR repositories on ecr not checked (UnrecognizedClientException: The security token included in the request is invalid.)');
    expect(text).toContain(`+ repository ${repo} → ecr (ECR defaults) if missing create`);
    // Apply tries, and says why it could not: nothing is pushed into a repository that may not exist.
    const apply = await multiarch(['apply'], { cwd: dir, env: { ...ecr.env, AWS_ACCESS_KEY_ID: 'AKIAWRONGKEY00000000' } });
    expect(apply.exitCode, apply.all).toBe(1);
    expect(apply.all).toContain(`could not create ECR repository ${testEnv().registry}/${repo}: UnrecognizedClientException`);
    expect(await listTags(`${testEnv().registry}/${repo}`)).toEqual([]);
  });
});
