/**
 * What a generated workflow needs the user to set up for each registry it logs in to: the
 * repository variables and secrets (GitHub) or CI/CD variables (GitLab) its login steps read, named
 * exactly as github.ts and gitlab.ts name them (a test reads them back from the generated files, so
 * the two cannot drift). Pure.
 */
import type { CiFacts, CiRegistry } from './ci-facts.js';
import type { CiProvider } from './ci-provider.js';

export interface CiSetting {
  readonly name: string;
  /** A secret (GitHub) or a masked variable (GitLab), rather than a plain variable. */
  readonly secret: boolean;
}

export interface CiLogin {
  readonly host: string;
  /** How the workflow logs in, in words. */
  readonly how: string;
  readonly settings: readonly CiSetting[];
}

const variable = (name: string): CiSetting => ({ name, secret: false });
const secret = (name: string): CiSetting => ({ name, secret: true });

export function ciLogin(registry: CiRegistry, provider: CiProvider): CiLogin {
  const { host } = registry;
  switch (registry.kind) {
    case 'dockerhub':
      return { host, how: 'a Docker Hub access token', settings: [variable('DOCKERHUB_USERNAME'), secret('DOCKERHUB_TOKEN')] };
    case 'ghcr':
      return provider === 'github'
        ? { host, how: 'the workflow’s own GITHUB_TOKEN', settings: [] }
        : { host, how: 'a GitHub token with write:packages', settings: [variable('GHCR_USERNAME'), secret('GHCR_TOKEN')] };
    case 'gitlab':
      return provider === 'gitlab'
        ? { host, how: 'the job’s own CI_REGISTRY_* credentials', settings: [] }
        : { host, how: 'username and password', settings: [variable('GITLAB_REGISTRY_USERNAME'), secret('GITLAB_REGISTRY_PASSWORD')] };
    case 'ecr':
      return { host, how: `an AWS role assumed through OIDC (${registry.region})`, settings: [variable('AWS_ROLE_ARN')] };
    case 'password':
      return { host, how: 'username and password', settings: [variable(`${registry.variable}_USERNAME`), secret(`${registry.variable}_PASSWORD`)] };
    case 'local':
      return { host, how: 'no login: plain HTTP, which a CI runner cannot reach on your machine', settings: [] };
  }
}

/** Every setting the workflow reads, each once (ECR registries share one role), in login order. */
export function ciSettings(facts: CiFacts, provider: CiProvider): CiSetting[] {
  const byName = new Map<string, CiSetting>();
  for (const registry of facts.registries) for (const setting of ciLogin(registry, provider).settings) byName.set(setting.name, setting);
  return [...byName.values()];
}
