/**
 * The GitHub Actions workflow for sharded multi-arch builds: one matrix job per platform on a
 * native runner (`ubuntu-24.04`, `ubuntu-24.04-arm`; QEMU only for platforms without one) builds,
 * tests and scans that platform's images into an OCI-layout shard uploaded as an artifact, then one
 * merge job checks the shards, pushes the platform images and writes the indexes. Registry logins
 * per kind: Docker Hub (token), GHCR (GITHUB_TOKEN), ECR (OIDC role), others (username/password).
 * Pure: facts in, workflow object (and YAML text) out.
 */
import { stringify } from 'yaml';
import { platformSlugOf, runnerFor, type CiFacts, type CiRegistry } from './ci-facts.js';

type Step = Record<string, unknown>;

export const GITHUB_ACTIONS = {
  checkout: 'actions/checkout@v4',
  setupNode: 'actions/setup-node@v4',
  upload: 'actions/upload-artifact@v4',
  download: 'actions/download-artifact@v4',
  qemu: 'docker/setup-qemu-action@v3',
  login: 'docker/login-action@v3',
  awsCredentials: 'aws-actions/configure-aws-credentials@v4',
  ecrLogin: 'aws-actions/amazon-ecr-login@v2',
} as const;

/** Secrets (and OIDC tokens) are withheld from pull requests opened from forks. */
export const SECRETS_AVAILABLE = "github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository";

export function createGithubWorkflow(facts: CiFacts): Record<string, unknown> {
  const needsOidc = facts.registries.some((r) => r.kind === 'ecr');
  const setup: Step[] = [
    { uses: GITHUB_ACTIONS.checkout },
    { uses: GITHUB_ACTIONS.setupNode, with: { 'node-version': 20, cache: 'npm' } },
    { run: 'npm ci' },
  ];
  const permissions = (packages: 'read' | 'write') => ({
    contents: 'read',
    ...(facts.registries.some((r) => r.kind === 'ghcr') ? { packages } : {}),
    ...(needsOidc ? { 'id-token': 'write' } : {}),
  });
  return {
    name: 'multiarch',
    on: { push: { branches: ['main'], tags: ['v*'] }, pull_request: null, workflow_dispatch: null },
    permissions: { contents: 'read' },
    concurrency: { group: 'multiarch-${{ github.ref }}', 'cancel-in-progress': false },
    env: { MULTIARCH_CONFIG: facts.configPath },
    jobs: {
      build: {
        name: 'build ${{ matrix.platform }}',
        'runs-on': '${{ matrix.runner }}',
        permissions: permissions('read'),
        strategy: {
          'fail-fast': true,
          matrix: {
            include: facts.platforms.map((platform) => {
              const runner = runnerFor(platform);
              return { platform, slug: platformSlugOf(platform), runner: runner.github, qemu: runner.qemu };
            }),
          },
        },
        steps: [
          ...setup,
          ...(facts.platforms.some((p) => runnerFor(p).qemu) ? [{ name: 'QEMU (no native runner for this platform)', if: '${{ matrix.qemu }}', uses: GITHUB_ACTIONS.qemu }] : []),
          // A shard reads the publish targets (read-only) to build only what they lack; a pull
          // request from a fork has no secrets: it reads anonymously, or builds every platform.
          ...loginSteps(facts.registries).map((step) => ({ name: step.name, if: SECRETS_AVAILABLE, ...step })),
          {
            name: 'Build, test and scan ${{ matrix.platform }} into a shard',
            // Outside the checkout: a shard inside a build context would be sent to every build.
            run: 'npx multiarch apply --config "$MULTIARCH_CONFIG" --platform "${{ matrix.platform }}" --shard-out "$RUNNER_TEMP/shard-${{ matrix.slug }}"',
          },
          {
            uses: GITHUB_ACTIONS.upload,
            with: { name: 'shard-${{ matrix.slug }}', path: '${{ runner.temp }}/shard-${{ matrix.slug }}', 'if-no-files-found': 'error', 'retention-days': 1 },
          },
        ],
      },
      // Pull requests: what apply would change, as Markdown in the step summary and an artifact
      // (posting it as a comment needs a token with write access: docs/output.md shows how).
      plan: {
        name: 'plan (pull request)',
        if: "github.event_name == 'pull_request'",
        'runs-on': 'ubuntu-24.04',
        permissions: permissions('read'),
        steps: [
          ...setup,
          ...loginSteps(facts.registries).map((step) => ({ name: step.name, if: SECRETS_AVAILABLE, ...step })),
          { name: 'Plan: what merging this pull request would publish', run: 'npx multiarch plan --config "$MULTIARCH_CONFIG" --out-markdown "$RUNNER_TEMP/multiarch-plan.md"' },
          { uses: GITHUB_ACTIONS.upload, if: '${{ !cancelled() }}', with: { name: 'multiarch-plan', path: '${{ runner.temp }}/multiarch-plan.md', 'if-no-files-found': 'ignore', 'retention-days': 7 } },
        ],
      },
      merge: {
        needs: 'build',
        if: "github.event_name != 'pull_request'",
        'runs-on': 'ubuntu-24.04',
        permissions: permissions('write'),
        steps: [
          ...setup,
          ...loginSteps(facts.registries),
          { uses: GITHUB_ACTIONS.download, with: { pattern: 'shard-*', path: 'shards' } },
          { name: 'Push the platform images and write the multi-arch indexes', run: 'npx multiarch apply --config "$MULTIARCH_CONFIG" --merge shards/*' },
        ],
      },
    },
  };
}

function loginSteps(registries: readonly CiRegistry[]): Step[] {
  const steps: Step[] = [];
  const ecrRegions = new Map<string, string[]>();
  for (const r of registries) {
    switch (r.kind) {
      case 'dockerhub':
        steps.push({ name: 'Log in to Docker Hub', uses: GITHUB_ACTIONS.login, with: { username: '${{ vars.DOCKERHUB_USERNAME }}', password: '${{ secrets.DOCKERHUB_TOKEN }}' } });
        break;
      case 'ghcr':
        steps.push({ name: 'Log in to GHCR', uses: GITHUB_ACTIONS.login, with: { registry: 'ghcr.io', username: '${{ github.actor }}', password: '${{ secrets.GITHUB_TOKEN }}' } });
        break;
      case 'ecr':
        ecrRegions.set(r.region, [...(ecrRegions.get(r.region) ?? []), r.account]);
        break;
      case 'gitlab':
      case 'password': {
        const variable = r.kind === 'gitlab' ? 'GITLAB_REGISTRY' : r.variable;
        steps.push({
          name: `Log in to ${r.host}`,
          uses: GITHUB_ACTIONS.login,
          with: { registry: r.host, username: `\${{ vars.${variable}_USERNAME }}`, password: `\${{ secrets.${variable}_PASSWORD }}` },
        });
        break;
      }
      case 'local':
        break;
    }
  }
  for (const [region, accounts] of ecrRegions) {
    steps.push(
      { name: `AWS credentials for ECR in ${region} (OIDC role)`, uses: GITHUB_ACTIONS.awsCredentials, with: { 'role-to-assume': '${{ vars.AWS_ROLE_ARN }}', 'aws-region': region } },
      { name: `Log in to ECR in ${region}`, uses: GITHUB_ACTIONS.ecrLogin, with: { registries: [...new Set(accounts)].join(',') } },
    );
  }
  return steps;
}

export function formatGithubWorkflow(facts: CiFacts): string {
  const skipped = facts.registries.filter((r) => r.kind === 'local').map((r) => r.host);
  const header = [
    '# Generated by multiarch for ' + facts.configPath + ' (templates/ci/github.yml, docs/builders.md).',
    '# Each platform builds what the registries do not hold yet natively into an OCI-layout shard; the merge job',
    '# pushes it and writes only the indexes whose children changed.',
    '# On pull requests the plan job puts the Markdown plan in the step summary and the multiarch-plan artifact.',
    '# Needs: vars.AWS_ROLE_ARN (ECR), vars.DOCKERHUB_USERNAME + secrets.DOCKERHUB_TOKEN (Docker Hub),',
    '# vars.<NAME>_USERNAME + secrets.<NAME>_PASSWORD for other registries, as the steps below name them.',
    ...(skipped.length ? [`# No login for plain-HTTP registries: ${skipped.join(', ')}.`] : []),
  ];
  return `${header.join('\n')}\n${stringify(createGithubWorkflow(facts), { lineWidth: 0, nullStr: '', aliasDuplicateObjects: false })}`;
}
