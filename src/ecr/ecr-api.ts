/**
 * AWS ECR's repository API through the AWS SDK for JavaScript: which repositories exist
 * (DescribeRepositories, read-only, before planning) and creating one (CreateRepository, then
 * PutLifecyclePolicy). Credentials come from the SDK's default chain — environment, `profile`
 * (the one `auth.ecr` names), SSO, web identity, instance role — as `aws ecr get-login-password`
 * finds them. The endpoint is the SDK's own: `AWS_ENDPOINT_URL_ECR` (or `AWS_ENDPOINT_URL`)
 * overrides it, for VPC endpoints and for tests. This module is imported lazily (by the fact
 * gatherer and the create step) so that configs without `ecr` never load the SDK. Edge.
 */
import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  PutLifecyclePolicyCommand,
  RepositoryAlreadyExistsException,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import process from 'node:process';
import type { EcrRepositoryPolicy } from '../config/ecr-repositories.js';
import type { RepositoryCreation, RepositoryFacts } from '../plan/nodes.js';

type Where = Pick<EcrRepositoryPolicy, 'region' | 'profile'>;

const clients = new Map<string, ECRClient>();

function client(where: Where): ECRClient {
  const key = `${where.region}\0${where.profile ?? ''}`;
  let c = clients.get(key);
  if (!c) {
    // multiarch runs on Node 20; the SDK's notice that its future versions will not is nothing a
    // user of multiarch can act on, and it would land in the middle of `plan`'s output.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    // Bounded: an unreachable endpoint costs a plan seconds, not the SDK's default minutes.
    c = new ECRClient({ region: where.region, ...(where.profile ? { profile: where.profile } : {}), maxAttempts: 2, requestHandler: { connectionTimeout: 5_000, requestTimeout: 15_000 } });
    clients.set(key, c);
  }
  return c;
}

/** Which of `names` are missing, one DescribeRepositories each (ECR fails a whole call on one unknown name). */
export async function readMissingRepositories(policy: EcrRepositoryPolicy, names: readonly string[], signal?: AbortSignal): Promise<RepositoryFacts> {
  try {
    const found = await Promise.all(
      names.map(async (name) => {
        try {
          await client(policy).send(new DescribeRepositoriesCommand({ registryId: policy.account, repositoryNames: [name] }), { abortSignal: signal });
          return true;
        } catch (error) {
          if (error instanceof RepositoryNotFoundException) return false;
          throw error;
        }
      }),
    );
    return { read: true, missing: names.filter((_, i) => !found[i]) };
  } catch (error) {
    return { read: false, problem: describeAwsError(error) };
  }
}

/** Creates the repository with its settings; `existed` when it was already there (nothing changed then). */
export async function createRepository(c: RepositoryCreation, signal?: AbortSignal): Promise<'created' | 'existed'> {
  const { settings } = c;
  try {
    await client(c).send(
      new CreateRepositoryCommand({
        registryId: c.account,
        repositoryName: c.repository,
        ...(settings.imageTagMutability ? { imageTagMutability: settings.imageTagMutability } : {}),
        ...(settings.scanOnPush !== undefined ? { imageScanningConfiguration: { scanOnPush: settings.scanOnPush } } : {}),
        ...(settings.encryption
          ? { encryptionConfiguration: settings.encryption.type === 'KMS' ? { encryptionType: 'KMS', kmsKey: settings.encryption.kmsKey } : { encryptionType: 'AES256' } }
          : {}),
      }),
      { abortSignal: signal },
    );
  } catch (error) {
    if (error instanceof RepositoryAlreadyExistsException) return 'existed';
    throw error;
  }
  if (settings.lifecyclePolicy) {
    await client(c).send(new PutLifecyclePolicyCommand({ registryId: c.account, repositoryName: c.repository, lifecyclePolicyText: settings.lifecyclePolicy }), { abortSignal: signal });
  }
  return 'created';
}

/** The SDK's error as one line: its exception name and message (never a credential: the SDK puts none there). */
export function describeAwsError(error: unknown): string {
  if (error instanceof Error) return error.name && error.name !== 'Error' && !error.message.startsWith(error.name) ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}
