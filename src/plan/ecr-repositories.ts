/**
 * ECR repositories (`registries.<name>.ecr`), decided against what DescribeRepositories answered
 * before planning: each push or index that writes into a missing repository carries it in
 * `createRepositories` (apply creates it first, once); without `createRepositories: true` a missing
 * repository stops the plan, with the fix. When the facts could not be read, a registry that creates
 * repositories plans each one "if missing" (creating an existing one is no error), one that does
 * not gets a note: the push itself will then tell. Pure.
 */
import { formatConfigPath } from '../config/issue.js';
import { MultiarchError } from '../errors/multiarch-error.js';
import type { IndexNode, Plan, PlanNode, PlanNote, PushNode, RepositoryCreation, RepositoryFacts, TargetSpec } from './nodes.js';

type Writer = PushNode | IndexNode;

/** The repositories a node writes into as its action stands (nothing for a skip). */
export function writtenRepositories(node: PlanNode): string[] {
  if (node.kind === 'index') return node.action.type === 'write' ? [node.repository] : [];
  if (node.kind !== 'push') return [];
  const { action } = node;
  if (action.type === 'skip') return [];
  if (action.type === 'push') return unique([...node.refs.map((r) => r.repository), ...node.digestRepositories]);
  return unique([...action.write.map((r) => r.repository), ...action.digestRepositories]);
}

/** By target name: the ECR targets with `ecr` and every repository this plan may write there. */
export function repositoriesToCheck(plan: Plan): Map<string, { readonly target: TargetSpec; readonly repositories: Set<string> }> {
  const out = new Map<string, { target: TargetSpec; repositories: Set<string> }>();
  for (const id of plan.order) {
    const node = plan.nodes[id]!;
    if ((node.kind !== 'push' && node.kind !== 'index') || !node.target.repositories) continue;
    const entry = out.get(node.target.name) ?? { target: node.target, repositories: new Set<string>() };
    for (const repo of writtenRepositories(node)) entry.repositories.add(repo);
    out.set(node.target.name, entry);
  }
  return out;
}

export function decideRepositories(plan: Plan, facts: Readonly<Record<string, RepositoryFacts>>): Plan {
  const missing: Array<{ readonly registry: string; readonly name: string; readonly repository: string; readonly region: string }> = [];
  const notes: PlanNote[] = [];
  const noted = new Set<string>();
  const nodes: Record<string, PlanNode> = { ...plan.nodes };
  for (const id of plan.order) {
    const node = plan.nodes[id]!;
    if ((node.kind !== 'push' && node.kind !== 'index') || !node.target.repositories) continue;
    const policy = node.target.repositories;
    const fact = facts[node.target.name];
    const written = writtenRepositories(node);
    if (!fact || written.length === 0) continue;
    if (!fact.read) {
      if (!noted.has(node.target.name)) {
        noted.add(node.target.name);
        const then = policy.create ? 'apply creates each repository it writes if it is missing' : 'a missing repository fails its push';
        notes.push({ image: node.image, message: `ECR repositories on ${node.target.name} not checked (${fact.problem}): ${then}` });
      }
      if (policy.create) nodes[id] = withCreations(node, written, false);
      continue;
    }
    const absent = written.filter((repo) => fact.missing.includes(repo));
    if (absent.length === 0) continue;
    if (policy.create) nodes[id] = withCreations(node, absent, true);
    else for (const repo of absent) missing.push({ registry: node.target.name, name: `${node.target.host}/${repo}`, repository: repo, region: policy.region });
  }
  if (missing.length > 0) throw missingError(plan, missing);
  return { ...plan, nodes, notes: [...plan.notes, ...notes] };
}

function withCreations(node: Writer, repositories: readonly string[], checked: boolean): Writer {
  const { account, region, profile, settings } = node.target.repositories!;
  const createRepositories: RepositoryCreation[] = repositories.map((repository) => ({ repository, account, region, ...(profile ? { profile } : {}), settings, checked }));
  return { ...node, createRepositories };
}

function missingError(plan: Plan, found: ReadonlyArray<{ readonly registry: string; readonly name: string; readonly repository: string; readonly region: string }>): MultiarchError {
  const names = unique(found.map((m) => m.name));
  const command = names.length === 1 ? `aws ecr create-repository --repository-name ${found[0]!.repository} --region ${found[0]!.region}` : 'aws ecr create-repository --repository-name <name> --region <region>';
  const fields = unique(found.map((m) => formatConfigPath(['registries', m.registry, 'ecr', 'createRepositories'])));
  const them = names.length > 1 ? 'them' : 'it';
  return new MultiarchError('E_REPOSITORY_MISSING', `${names.length} ECR ${names.length > 1 ? 'repositories this plan pushes to do' : 'repository this plan pushes to does'} not exist`, {
    details: names.map((n) => `missing: ${n}`),
    hint: `set ${fields.join(' and ')}: true in ${plan.configFile} to create ${them} before the first push, or create ${them} yourself (${command})`,
  });
}

/** Every repository the plan creates, once each (by target and name), in plan order: for the renderers. */
export function plannedRepositories(plan: Plan): Array<RepositoryCreation & { readonly target: TargetSpec }> {
  const seen = new Map<string, RepositoryCreation & { target: TargetSpec }>();
  for (const id of plan.order) {
    const node = plan.nodes[id]!;
    if (node.kind !== 'push' && node.kind !== 'index') continue;
    for (const c of node.createRepositories ?? []) {
      const key = `${node.target.name}/${c.repository}`;
      if (!seen.has(key)) seen.set(key, { ...c, target: node.target });
    }
  }
  return [...seen.values()];
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
