/**
 * The workflows in templates/ci/ are these generators' output for a typical config — amd64 and
 * arm64, published to GHCR, Docker Hub and ECR — so they can be copied by hand and cannot drift
 * from what `multiarch init --ci` writes for a real config (the test compares them; regenerate
 * with `node scripts/ci-templates.mjs` after `npm run build`). Pure.
 */
import { classifyRegistry, type CiFacts } from './ci-facts.js';
import { formatGithubWorkflow } from './github.js';
import { formatGitlabPipeline } from './gitlab.js';

export const TEMPLATE_FACTS: CiFacts = {
  configPath: 'multiarch.config.ts',
  platforms: ['linux/amd64', 'linux/arm64'],
  registries: [
    classifyRegistry('ghcr', 'ghcr.io'),
    classifyRegistry('hub', 'docker.io'),
    classifyRegistry('ecr', '123456789012.dkr.ecr.us-west-2.amazonaws.com'),
  ],
};

export const CI_TEMPLATES = {
  'templates/ci/github.yml': () => formatGithubWorkflow(TEMPLATE_FACTS),
  'templates/ci/gitlab.yml': () => formatGitlabPipeline(TEMPLATE_FACTS),
} as const;
