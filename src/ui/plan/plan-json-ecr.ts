/**
 * ECR repositories in the plan JSON, both ways: out (`plan --json`, `plan --out`) and back into the
 * plan `apply plan.json` runs. Absent settings are `null` in the document, absent in the plan. The
 * top-level `repositories` list is derived from the nodes (like `refs`): apply reads the nodes'
 * `createRepositories`. Pure.
 */
import type { EcrRepositoryPolicy, EcrRepositorySettings } from '../../config/ecr-repositories.js';
import { plannedRepositories } from '../../plan/ecr-repositories.js';
import type { Plan, RepositoryCreation } from '../../plan/nodes.js';
import type { EcrPolicyJson, EcrSettingsJson, RepositoryCreationJson, RepositoryJson } from './plan-json-ecr-schema.js';

export function repositoriesJson(plan: Plan): RepositoryJson[] {
  return plannedRepositories(plan).map((r) => ({
    registry: r.target.name,
    ref: `${r.target.host}/${r.repository}`,
    repository: r.repository,
    account: r.account,
    region: r.region,
    settings: settingsJson(r.settings),
    checked: r.checked,
    nodes: plan.order.filter((id) => {
      const n = plan.nodes[id]!;
      return (n.kind === 'push' || n.kind === 'index') && n.target.name === r.target.name && (n.createRepositories ?? []).some((c) => c.repository === r.repository);
    }),
  }));
}

export function policyJson(p: EcrRepositoryPolicy): EcrPolicyJson {
  return { account: p.account, region: p.region, profile: p.profile ?? null, create: p.create, settings: settingsJson(p.settings) };
}

export function toPolicy(p: EcrPolicyJson): EcrRepositoryPolicy {
  return { account: p.account, region: p.region, ...(p.profile !== null ? { profile: p.profile } : {}), create: p.create, settings: toSettings(p.settings) };
}

export function creationJson(c: RepositoryCreation): RepositoryCreationJson {
  return { repository: c.repository, account: c.account, region: c.region, profile: c.profile ?? null, settings: settingsJson(c.settings), checked: c.checked };
}

export function toCreation(c: RepositoryCreationJson): RepositoryCreation {
  return { repository: c.repository, account: c.account, region: c.region, ...(c.profile !== null ? { profile: c.profile } : {}), settings: toSettings(c.settings), checked: c.checked };
}

function settingsJson(s: EcrRepositorySettings): EcrSettingsJson {
  return {
    imageTagMutability: s.imageTagMutability ?? null,
    scanOnPush: s.scanOnPush ?? null,
    encryption: s.encryption ? { ...s.encryption } : null,
    lifecyclePolicy: s.lifecyclePolicy ?? null,
  };
}

function toSettings(s: EcrSettingsJson): EcrRepositorySettings {
  return {
    ...(s.imageTagMutability !== null ? { imageTagMutability: s.imageTagMutability } : {}),
    ...(s.scanOnPush !== null ? { scanOnPush: s.scanOnPush } : {}),
    ...(s.encryption !== null ? { encryption: { ...s.encryption } } : {}),
    ...(s.lifecyclePolicy !== null ? { lifecyclePolicy: s.lifecyclePolicy } : {}),
  };
}
