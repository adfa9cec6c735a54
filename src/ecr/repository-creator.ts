/**
 * The ECR repositories port (exec/ports/ecr-repositories.ts) on the AWS SDK. The SDK is loaded the
 * first time a repository is created, so applies of plans that create none never load it. Edge.
 */
import { MultiarchError } from '../errors/multiarch-error.js';
import type { EcrRepositories } from '../exec/ports/ecr-repositories.js';

export const ecrRepositoryCreator: EcrRepositories = {
  async create(ref, creation, signal) {
    const { createRepository, describeAwsError } = await import('./ecr-api.js');
    try {
      return await createRepository(creation, signal);
    } catch (error) {
      throw new MultiarchError('E_REPOSITORY_CREATE', `could not create ECR repository ${ref}: ${describeAwsError(error)}`, {
        hint: 'the AWS credentials need ecr:CreateRepository (and ecr:PutLifecyclePolicy with a lifecyclePolicy); or create it yourself and plan again',
        cause: error,
      });
    }
  },
};
