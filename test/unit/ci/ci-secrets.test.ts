/**
 * What `init --ci` tells the user to set, per registry kind and CI system — read back from the
 * generated workflows, so a renamed variable in github.ts or gitlab.ts fails here — and the
 * preview and summary built from it.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { classifyRegistry, type CiFacts } from '../../../src/ci/ci-facts.js';
import type { CiProvider } from '../../../src/ci/ci-provider.js';
import { ciLogin, ciSettings } from '../../../src/ci/ci-secrets.js';
import { formatCiPreview, formatCiSummary } from '../../../src/ci/describe-ci.js';
import { formatGithubWorkflow } from '../../../src/ci/github.js';
import { formatGitlabPipeline } from '../../../src/ci/gitlab.js';
import { TEMPLATE_FACTS } from '../../../src/ci/templates.js';

/** One registry of every kind, and ECR twice in two regions (one role for both). */
const EVERY_KIND: CiFacts = {
  configPath: 'deploy/multiarch.config.ts',
  platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
  registries: [
    classifyRegistry('ghcr', 'ghcr.io'),
    classifyRegistry('hub', 'docker.io'),
    classifyRegistry('gitlab', 'registry.gitlab.com'),
    classifyRegistry('ecr', '123456789012.dkr.ecr.us-west-2.amazonaws.com'),
    classifyRegistry('ecr-eu', '123456789012.dkr.ecr.eu-west-1.amazonaws.com'),
    classifyRegistry('my-quay', 'quay.io'),
    classifyRegistry('local', '127.0.0.1:5000', true),
  ],
};

/** `vars.X` and `secrets.X` the GitHub workflow reads (comments left out), but GitHub's own token. */
function githubReads(text: string): Array<{ name: string; secret: boolean }> {
  const json = JSON.stringify(parse(text));
  return [...json.matchAll(/\b(vars|secrets)\.(\w+)/g)].filter(([, , name]) => name !== 'GITHUB_TOKEN').map(([, scope, name]) => ({ name: name!, secret: scope === 'secrets' }));
}

/** Variables the GitLab logins read that neither GitLab (CI_*) nor the pipeline itself sets. */
function gitlabReads(text: string): string[] {
  const pipeline = parse(text) as Record<string, Record<string, unknown>>;
  const base = pipeline['.multiarch']!;
  const lines = base.before_script as string[];
  const own = new Set([...Object.keys((base.id_tokens as object | undefined) ?? {}), ...Object.keys(base.variables as object), ...lines.flatMap((l) => [...l.matchAll(/\b([A-Z_]+)=/g)].map((m) => m[1]!))]);
  const read = lines.flatMap((l) => [...l.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!)).filter((n) => !n.startsWith('CI_') && !own.has(n));
  // The AWS CLI reads AWS_ROLE_ARN from the environment: no line names it.
  return [...new Set([...read, ...(lines.some((l) => l.startsWith('aws ')) ? ['AWS_ROLE_ARN'] : [])])];
}

const names = (facts: CiFacts, provider: CiProvider) => ciSettings(facts, provider).map((s) => s.name);

describe('ciSettings', () => {
  it.each([['every kind', EVERY_KIND], ['the template facts', TEMPLATE_FACTS]])('GitHub, %s: exactly the vars and secrets the workflow reads', (_name, facts) => {
    const reads = githubReads(formatGithubWorkflow(facts));
    expect(ciSettings(facts, 'github').sort((a, b) => a.name.localeCompare(b.name))).toEqual([...new Map(reads.map((r) => [r.name, r])).values()].sort((a, b) => a.name.localeCompare(b.name)));
  });

  it.each([['every kind', EVERY_KIND], ['the template facts', TEMPLATE_FACTS]])('GitLab, %s: exactly the CI/CD variables the logins read', (_name, facts) => {
    expect(names(facts, 'gitlab').sort()).toEqual(gitlabReads(formatGitlabPipeline(facts)).sort());
  });

  it('names them per registry kind, in login order, each once', () => {
    expect(ciSettings(EVERY_KIND, 'github')).toEqual([
      { name: 'DOCKERHUB_USERNAME', secret: false },
      { name: 'DOCKERHUB_TOKEN', secret: true },
      { name: 'GITLAB_REGISTRY_USERNAME', secret: false },
      { name: 'GITLAB_REGISTRY_PASSWORD', secret: true },
      { name: 'AWS_ROLE_ARN', secret: false },
      { name: 'MY_QUAY_USERNAME', secret: false },
      { name: 'MY_QUAY_PASSWORD', secret: true },
    ]);
    expect(names(EVERY_KIND, 'gitlab')).toEqual(['GHCR_USERNAME', 'GHCR_TOKEN', 'DOCKERHUB_USERNAME', 'DOCKERHUB_TOKEN', 'AWS_ROLE_ARN', 'MY_QUAY_USERNAME', 'MY_QUAY_PASSWORD']);
  });

  it('needs nothing for the CI system’s own registry or a plain-HTTP one', () => {
    expect(ciLogin(classifyRegistry('ghcr', 'ghcr.io'), 'github').settings).toEqual([]);
    expect(ciLogin(classifyRegistry('gitlab', 'registry.gitlab.com'), 'gitlab').settings).toEqual([]);
    expect(ciLogin(classifyRegistry('local', '127.0.0.1:5000', true), 'github')).toMatchObject({ settings: [], how: expect.stringContaining('plain HTTP') });
  });
});

describe('formatCiPreview', () => {
  it('lists each platform’s runner and each registry’s login with what it reads', () => {
    expect(formatCiPreview('.github/workflows/multiarch.yml', EVERY_KIND, 'github')).toBe(
      [
        'GitHub Actions workflow .github/workflows/multiarch.yml for deploy/multiarch.config.ts:',
        '  platforms → runners',
        '    linux/amd64 on ubuntu-24.04 (native)',
        '    linux/arm64 on ubuntu-24.04-arm (native)',
        '    linux/arm/v7 on ubuntu-24.04 (QEMU)',
        '  registries → logins',
        '    ghcr.io                                       the workflow’s own GITHUB_TOKEN',
        '    docker.io                                     a Docker Hub access token (variable DOCKERHUB_USERNAME, secret DOCKERHUB_TOKEN)',
        '    registry.gitlab.com                           username and password (variable GITLAB_REGISTRY_USERNAME, secret GITLAB_REGISTRY_PASSWORD)',
        '    123456789012.dkr.ecr.us-west-2.amazonaws.com  an AWS role assumed through OIDC (us-west-2) (variable AWS_ROLE_ARN)',
        '    123456789012.dkr.ecr.eu-west-1.amazonaws.com  an AWS role assumed through OIDC (eu-west-1) (variable AWS_ROLE_ARN)',
        '    quay.io                                       username and password (variable MY_QUAY_USERNAME, secret MY_QUAY_PASSWORD)',
        '    127.0.0.1:5000                                no login: plain HTTP, which a CI runner cannot reach on your machine',
        '',
      ].join('\n'),
    );
  });

  it('says so when the config publishes nowhere', () => {
    expect(formatCiPreview('.gitlab-ci.yml', { configPath: 'multiarch.config.ts', platforms: ['linux/arm64'], registries: [] }, 'gitlab')).toContain(
      '    linux/arm64 on saas-linux-small-arm64 (native)\n  registries → logins\n    (none: the config publishes nowhere yet)\n',
    );
  });
});

describe('formatCiSummary', () => {
  it('is one line: the file, each platform’s runner, the variables and secrets to set and where', () => {
    expect(formatCiSummary('.github/workflows/multiarch.yml', TEMPLATE_FACTS, 'github')).toBe(
      'Wrote .github/workflows/multiarch.yml: linux/amd64 on ubuntu-24.04 (native), linux/arm64 on ubuntu-24.04-arm (native); ' +
        'set variables DOCKERHUB_USERNAME, AWS_ROLE_ARN and secrets DOCKERHUB_TOKEN (Settings → Secrets and variables → Actions).\n',
    );
    expect(formatCiSummary('.gitlab-ci.yml', TEMPLATE_FACTS, 'gitlab')).toBe(
      'Wrote .gitlab-ci.yml: linux/amd64 on saas-linux-small-amd64 (native), linux/arm64 on saas-linux-small-arm64 (native); ' +
        'set variables GHCR_USERNAME, DOCKERHUB_USERNAME, AWS_ROLE_ARN and masked variables GHCR_TOKEN, DOCKERHUB_TOKEN (Settings → CI/CD → Variables).\n',
    );
  });

  it('says when there is nothing to set', () => {
    const ghcrOnly: CiFacts = { configPath: 'multiarch.config.ts', platforms: ['linux/arm/v7'], registries: [classifyRegistry('ghcr', 'ghcr.io')] };
    expect(formatCiSummary('.github/workflows/multiarch.yml', ghcrOnly, 'github')).toBe(
      'Wrote .github/workflows/multiarch.yml: linux/arm/v7 on ubuntu-24.04 (QEMU); nothing to set: the logins need no variables or secrets.\n',
    );
  });
});
