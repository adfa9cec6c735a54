/**
 * Which repositories a plan would write are missing on ECR registries with `ecr`, asked before
 * planning (read-only DescribeRepositories, one per repository, every registry at once). The SDK is
 * imported only when the plan has such a registry. Edge.
 */
import { repositoriesToCheck } from '../plan/ecr-repositories.js';
import type { Plan, RepositoryFacts } from '../plan/nodes.js';

export async function ecrRepositoryFacts(shape: Plan, signal?: AbortSignal): Promise<Record<string, RepositoryFacts> | undefined> {
  const wanted = repositoriesToCheck(shape);
  if (wanted.size === 0) return undefined;
  const { readMissingRepositories } = await import('../ecr/ecr-api.js');
  const entries = await Promise.all(
    [...wanted].map(async ([name, { target, repositories }]) => [name, await readMissingRepositories(target.repositories!, [...repositories], signal)] as const),
  );
  return Object.fromEntries(entries);
}
