/**
 * The ECR repositories a push or index node lists (`createRepositories`, decided by the plan) are
 * created before the node writes anything: once per run per repository — the first node to get
 * there creates it, the others wait for that — and idempotently (one that exists is left as it
 * is). The node that created it reports it (`result.repositoriesCreated`). AWS is reached through
 * the port (exec/ports/ecr-repositories.ts).
 */
import type { IndexNode, PushNode } from '../../plan/nodes.js';
import type { StepContext, StepResult } from '../execute.js';
import type { EcrRepositories } from '../ports/ecr-repositories.js';

export interface RepositoryDeps {
  readonly repositories: RepositoryCreations;
}

/** This run's repository creations, by `host/repository`: each is asked for once. */
export interface RepositoryCreations {
  readonly ecr: EcrRepositories;
  readonly started: Map<string, Promise<'created' | 'existed'>>;
}

export function createRepositoryCreations(ecr: EcrRepositories): RepositoryCreations {
  return { ecr, started: new Map() };
}

export async function withRepositories<T>(deps: RepositoryDeps, node: PushNode | IndexNode, ctx: StepContext, write: () => Promise<StepResult<T>>): Promise<StepResult<T>> {
  const wanted = node.createRepositories ?? [];
  if (wanted.length === 0) return write();
  const { ecr, started } = deps.repositories;
  const created: string[] = [];
  for (const c of wanted) {
    const ref = `${node.target.host}/${c.repository}`;
    let pending = started.get(ref);
    if (!pending) {
      ctx.progress(`creating repository ${c.repository}`);
      pending = ecr.create(ref, c, ctx.signal);
      started.set(ref, pending);
      if ((await pending) === 'created') created.push(ref);
    }
    await pending;
  }
  const result = await write();
  return created.length > 0 ? { ...result, info: { ...result.info, repositoriesCreated: created } } : result;
}
