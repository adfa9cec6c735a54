/**
 * The ECR repositories a push or index node lists (`createRepositories`, decided by the plan) are
 * created before the node writes anything: once per run per repository — the first node to get
 * there creates it, the others wait for that — and idempotently (one that exists is left as it
 * is). The node that created it reports it (`result.repositoriesCreated`). The SDK is loaded only
 * when a plan lists some.
 */
import { MultiarchError } from '../../errors/multiarch-error.js';
import type { IndexNode, PushNode, RepositoryCreation } from '../../plan/nodes.js';
import type { StepContext, StepResult } from '../execute.js';
import type { StepServices } from './services.js';

export async function withRepositories<T>(services: StepServices, node: PushNode | IndexNode, ctx: StepContext, write: () => Promise<StepResult<T>>): Promise<StepResult<T>> {
  const wanted = node.createRepositories ?? [];
  if (wanted.length === 0) return write();
  const created: string[] = [];
  for (const c of wanted) {
    const key = `${node.target.host}/${c.repository}`;
    let pending = services.repositories.get(key);
    if (!pending) {
      ctx.progress(`creating repository ${c.repository}`);
      pending = create(c, key, ctx.signal);
      services.repositories.set(key, pending);
      if ((await pending) === 'created') created.push(key);
    }
    await pending;
  }
  const result = await write();
  return created.length > 0 ? { ...result, info: { ...result.info, repositoriesCreated: created } } : result;
}

async function create(c: RepositoryCreation, key: string, signal: AbortSignal): Promise<'created' | 'existed'> {
  const { createRepository, describeAwsError } = await import('../../ecr/ecr-api.js');
  try {
    return await createRepository(c, signal);
  } catch (error) {
    throw new MultiarchError('E_REPOSITORY_CREATE', `could not create ECR repository ${key}: ${describeAwsError(error)}`, {
      hint: 'the AWS credentials need ecr:CreateRepository (and ecr:PutLifecyclePolicy with a lifecyclePolicy); or create it yourself and plan again',
      cause: error,
    });
  }
}
