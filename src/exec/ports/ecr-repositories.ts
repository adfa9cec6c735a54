/**
 * The ECR repositories port: what the push and index steps ask of AWS before they write into a
 * repository the plan says to create (`node.createRepositories`). `ecr/repository-creator.ts`
 * implements it on the AWS SDK; `cli/` hands it in. Types only.
 */
import type { RepositoryCreation } from '../../plan/nodes.js';

export interface EcrRepositories {
  /**
   * Creates the repository with its settings (then its lifecycle policy); `existed` when it was
   * already there, left as it is. Rejects with E_REPOSITORY_CREATE naming `ref` (`host/repository`)
   * and giving AWS's reason.
   */
  create(ref: string, creation: RepositoryCreation, signal: AbortSignal): Promise<'created' | 'existed'>;
}
