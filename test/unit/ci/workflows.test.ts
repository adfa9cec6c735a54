/**
 * The CI workflows: templates/ci/*.yml are exactly the generators' output for the reference facts;
 * the GitHub workflow is YAML that passes a strict structural schema of the workflow syntax
 * (actionlint cannot be installed here) plus the cross-references a schema cannot see; the GitLab
 * pipeline is checked the same way by hand.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ciFacts, classifyRegistry, type CiFacts } from '../../../src/ci/ci-facts.js';
import { formatGithubWorkflow, SECRETS_AVAILABLE } from '../../../src/ci/github.js';
import { formatGitlabPipeline } from '../../../src/ci/gitlab.js';
import { CI_TEMPLATES, TEMPLATE_FACTS } from '../../../src/ci/templates.js';
import { resolve } from '../plan/fixtures.js';
import { checkGithub, validateGithubWorkflow as validate, type Job, type Step, type Workflow } from './github-workflow-check.js';

const root = new URL('../../../', import.meta.url);

const WIDE: CiFacts = {
  configPath: 'deploy/multiarch.config.ts',
  platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
  registries: [classifyRegistry('quay', 'quay.io'), classifyRegistry('ecr', '210987654321.dkr.ecr.eu-west-1.amazonaws.com'), classifyRegistry('local', '127.0.0.1:5000', true)],
};

describe('CI templates', () => {
  it.each(Object.entries(CI_TEMPLATES))('%s is the generator’s output (node scripts/ci-templates.mjs)', (file, render) => {
    expect(readFileSync(new URL(file, root), 'utf8')).toBe(render());
  });
});

describe('GitHub workflow', () => {
  it('pull requests get the Markdown plan: in the step summary and as the multiarch-plan artifact, never posted', () => {
    const workflow = checkGithub(readFileSync(new URL('templates/ci/github.yml', root), 'utf8'));
    const plan = workflow.jobs.plan!;
    expect(plan.if).toBe("github.event_name == 'pull_request'");
    expect(plan.permissions).toEqual({ contents: 'read', packages: 'read', 'id-token': 'write' });
    const run = plan.steps.find((s) => typeof s.run === 'string' && s.run.includes('multiarch plan'))!;
    expect(run.run).toBe('npx multiarch plan --config "$MULTIARCH_CONFIG" --out-markdown "$RUNNER_TEMP/multiarch-plan.md"');
    const upload = plan.steps.find((s) => s.uses === 'actions/upload-artifact@v4')!;
    expect(upload.with).toMatchObject({ name: 'multiarch-plan', path: '${{ runner.temp }}/multiarch-plan.md' });
    for (const step of plan.steps.filter((s) => s.uses === 'docker/login-action@v3')) expect(step.if).toBe(SECRETS_AVAILABLE);
  });

  it('the template passes the workflow schema and its cross-references', () => {
    const workflow = checkGithub(readFileSync(new URL('templates/ci/github.yml', root), 'utf8'));
    expect(workflow.jobs.build!.strategy!.matrix.include).toEqual([
      { platform: 'linux/amd64', slug: 'linux-amd64', runner: 'ubuntu-24.04', qemu: false },
      { platform: 'linux/arm64', slug: 'linux-arm64', runner: 'ubuntu-24.04-arm', qemu: false },
    ]);
    expect(workflow.jobs.merge!.needs).toBe('build');
    expect(workflow.jobs.merge!.permissions).toEqual({ contents: 'read', packages: 'write', 'id-token': 'write' });
    const merge = workflow.jobs.merge!.steps;
    expect(merge.map((s) => s.uses ?? s.run)).toEqual([
      'actions/checkout@v4',
      'actions/setup-node@v4',
      'npm ci',
      'docker/login-action@v3',
      'docker/login-action@v3',
      'aws-actions/configure-aws-credentials@v4',
      'aws-actions/amazon-ecr-login@v2',
      'actions/download-artifact@v4',
      'npx multiarch apply --config "$MULTIARCH_CONFIG" --merge shards/*',
    ]);
  });

  it('the schema check catches what GitHub would reject', () => {
    const broken = (change: (w: Workflow & Record<string, unknown>) => void) => {
      const w = parse(formatGithubWorkflow(WIDE)) as Workflow & Record<string, unknown>;
      change(w);
      return validate(w);
    };
    expect(broken(() => {})).toBe(true);
    expect(broken((w) => Object.assign(w.jobs.build!.steps[0]!, { run: 'echo' }))).toBe(false);
    expect(broken((w) => delete (w.jobs.merge as Partial<Job>)['runs-on'])).toBe(false);
    expect(broken((w) => Object.assign(w.jobs.merge!.permissions!, { package: 'write' }))).toBe(false);
    expect(broken((w) => Object.assign(w.jobs.merge!, { 'run-on': 'x' }))).toBe(false);
    expect(broken((w) => Object.assign(w, { on: { pushh: null } }))).toBe(false);
  });

  it('emulates only platforms without a native runner, and logs in per registry kind', () => {
    const text = formatGithubWorkflow(WIDE);
    const workflow = checkGithub(text);
    expect(workflow.jobs.build!.strategy!.matrix.include.map((e) => [e.platform, e.runner, e.qemu])).toEqual([
      ['linux/amd64', 'ubuntu-24.04', false],
      ['linux/arm64', 'ubuntu-24.04-arm', false],
      ['linux/arm/v7', 'ubuntu-24.04', true],
    ]);
    const build = workflow.jobs.build!.steps;
    expect(build.find((s) => s.uses === 'docker/setup-qemu-action@v3')?.if).toBe('${{ matrix.qemu }}');
    expect(build.find((s) => s.name === 'Log in to quay.io')?.with).toEqual({ registry: 'quay.io', username: '${{ vars.QUAY_USERNAME }}', password: '${{ secrets.QUAY_PASSWORD }}' });
    expect(build.find((s) => s.uses === 'aws-actions/amazon-ecr-login@v2')?.with).toEqual({ registries: '210987654321' });
    expect(text).not.toContain('127.0.0.1:5000\n        uses');
    expect(text).toContain('# No login for plain-HTTP registries: 127.0.0.1:5000.');
    expect(workflow.jobs.build!.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    // Build jobs log in only where secrets exist (not in pull requests from forks); merge always does.
    const logins = (steps: Step[]) => steps.filter((s) => s.uses === 'docker/login-action@v3' || s.uses?.startsWith('aws-actions/'));
    expect(logins(build).map((s) => s.if)).toEqual(logins(build).map(() => SECRETS_AVAILABLE));
    expect(logins(workflow.jobs.merge!.steps).every((s) => s.if === undefined)).toBe(true);
  });
});

describe('shards travel from the build jobs to the merge job', () => {
  const shardOut = (line: string) => /--shard-out "([^"]+)"/.exec(line)?.[1];

  it('GitHub: each build uploads the directory its apply wrote (outside the checkout); merge downloads them all into shards/', () => {
    const workflow = parse(formatGithubWorkflow(WIDE)) as Workflow;
    const build = workflow.jobs.build!.steps;
    const out = shardOut(build.find((s) => s.run?.includes('--shard-out'))!.run!)!;
    expect(out.startsWith('$RUNNER_TEMP/')).toBe(true);
    const upload = build.find((s) => s.uses === 'actions/upload-artifact@v4')!.with!;
    expect(upload.path).toBe(out.replace('$RUNNER_TEMP', '${{ runner.temp }}'));
    expect(upload.name).toBe('shard-${{ matrix.slug }}');
    // download-artifact puts each artifact in <path>/<name>: shards/shard-linux-amd64, …
    expect(workflow.jobs.merge!.steps.find((s) => s.uses === 'actions/download-artifact@v4')!.with).toEqual({ pattern: 'shard-*', path: 'shards' });
    expect(workflow.jobs.merge!.steps.at(-1)!.run).toMatch(/ --merge shards\/\*$/);
  });

  it('GitLab: each build moves the shard its apply wrote in /tmp to its artifact path; merge gets them all under shards/', () => {
    const pipeline = parse(formatGitlabPipeline(WIDE)) as Record<string, { script: string[]; artifacts?: { paths: string[] } }>;
    const script = pipeline.build!.script;
    const out = shardOut(script.find((l) => l.includes('--shard-out'))!)!;
    expect(out.startsWith('/tmp/')).toBe(true);
    const move = script[script.findIndex((l) => l.includes('--shard-out')) + 1]!;
    expect(move).toBe(`mkdir -p shards && mv "${out}" "shards/$SLUG"`);
    expect(pipeline.build!.artifacts!.paths).toEqual(['shards/$SLUG/']);
    expect(pipeline.merge!.script.at(-1)).toMatch(/ --merge shards\/\*$/);
  });
});

describe('GitLab pipeline', () => {
  it.each([['the template', () => readFileSync(new URL('templates/ci/gitlab.yml', root), 'utf8')], ['a wide config', () => formatGitlabPipeline(WIDE)]])(
    '%s: every job in a stage, extends and needs resolve, the matrix is uniform',
    (_name, text) => {
      const pipeline = parse(text()) as Record<string, Record<string, unknown>>;
      const stages = pipeline.stages as unknown as string[];
      const jobs = Object.entries(pipeline).filter(([k]) => !['stages', 'variables'].includes(k) && !k.startsWith('.'));
      expect(jobs.map(([k]) => k)).toEqual(['build', 'merge']);
      for (const [name, job] of jobs) {
        expect(stages, name).toContain(job.stage);
        expect(pipeline, name).toHaveProperty([job.extends as string]);
        expect(Array.isArray(job.script) && job.script.length > 0, name).toBe(true);
        for (const need of (job.needs as Array<{ job: string }> | undefined) ?? []) expect(Object.keys(pipeline)).toContain(need.job);
      }
      const matrix = (pipeline.build!.parallel as { matrix: Array<Record<string, string>> }).matrix;
      for (const entry of matrix) expect(Object.keys(entry)).toEqual(['PLATFORM', 'SLUG', 'RUNNER_TAG', 'QEMU']);
      expect(matrix.every((e) => Object.values(e).every((v) => typeof v === 'string'))).toBe(true);
    },
  );

  it('runs arm64 on an arm64 runner and logs in to ECR through the job’s OIDC token', () => {
    const pipeline = parse(formatGitlabPipeline(WIDE)) as Record<string, Record<string, unknown>>;
    const matrix = (pipeline.build!.parallel as { matrix: Array<Record<string, string>> }).matrix;
    expect(matrix.map((e) => [e.PLATFORM, e.RUNNER_TAG, e.QEMU])).toEqual([
      ['linux/amd64', 'saas-linux-small-amd64', '0'],
      ['linux/arm64', 'saas-linux-small-arm64', '0'],
      ['linux/arm/v7', 'saas-linux-small-amd64', '1'],
    ]);
    const base = pipeline['.multiarch']!;
    expect(base.id_tokens).toEqual({ AWS_ID_TOKEN: { aud: 'sts.amazonaws.com' } });
    expect(base.before_script).toContain('aws ecr get-login-password --region eu-west-1 | docker login --username AWS --password-stdin 210987654321.dkr.ecr.eu-west-1.amazonaws.com');
    expect(base.before_script).toContain('echo "$QUAY_PASSWORD" | docker login --username "$QUAY_USERNAME" --password-stdin quay.io');
  });
});

describe('ciFacts', () => {
  it('takes every platform of every image and the registries images publish to', () => {
    const config = resolve({
      registries: {
        hub: { url: 'docker.io' },
        ecr: { url: '123456789012.dkr.ecr.us-east-2.amazonaws.com' },
        unused: { url: 'ghcr.io' },
        local: { url: '127.0.0.1:5000', insecure: true },
      },
      images: {
        a: { context: '.', platforms: ['linux/arm64', 'amd64'], tags: ['v1'], publish: [{ registry: 'hub', repository: 'x/a' }, { registry: 'local', repository: 'a' }] },
        b: { context: '.', platforms: ['linux/amd64', 'arm'], tags: ['v1'], publish: [{ registry: 'ecr', repository: 'b' }] },
      },
    });
    expect(ciFacts(config, 'multiarch.config.ts')).toEqual({
      configPath: 'multiarch.config.ts',
      platforms: ['linux/arm64', 'linux/amd64', 'linux/arm/v7'],
      registries: [
        { kind: 'dockerhub', name: 'hub', host: 'docker.io' },
        { kind: 'ecr', name: 'ecr', host: '123456789012.dkr.ecr.us-east-2.amazonaws.com', account: '123456789012', region: 'us-east-2' },
        { kind: 'local', name: 'local', host: '127.0.0.1:5000' },
      ],
    });
  });

  it('has reference facts for the templates', () => {
    expect(TEMPLATE_FACTS.registries.map((r) => r.kind)).toEqual(['ghcr', 'dockerhub', 'ecr']);
  });
});
