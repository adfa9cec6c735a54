/**
 * A local stand-in for AWS ECR's control-plane API (no AWS is reachable here): an HTTP server
 * speaking its JSON 1.1 protocol (`POST /`, `X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.<Op>`,
 * `application/x-amz-json-1.1`) and answering as ECR does — DescribeRepositories with 400
 * `RepositoryNotFoundException` for an unknown name, CreateRepository (400
 * `RepositoryAlreadyExistsException` for a known one), PutLifecyclePolicy — with ECR's field names
 * and error shapes (`__type`, `x-amzn-ErrorType`). It keeps its repositories in memory and records
 * every call, and only answers requests signed (SigV4) with the expected access key for service
 * `ecr` in the expected region, as AWS would refuse others. The CLI reaches it through the SDK's
 * own endpoint override, `AWS_ENDPOINT_URL_ECR`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921.';

export interface EcrCall {
  readonly op: string;
  readonly body: Record<string, unknown>;
  /** When the answer was sent (epoch ms, as the CLI's events' `at`). */
  at?: number;
}

export interface EcrRepository {
  readonly repositoryName: string;
  readonly imageTagMutability: string;
  readonly imageScanningConfiguration: { readonly scanOnPush: boolean };
  readonly encryptionConfiguration: { readonly encryptionType: string; readonly kmsKey?: string };
  lifecyclePolicyText?: string;
}

export interface EcrStandIn {
  readonly endpoint: string;
  readonly calls: EcrCall[];
  readonly repositories: Map<string, EcrRepository>;
  /** The environment a CLI run needs to reach it with these credentials (and no other AWS source). */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

/** `createDelayMs`: CreateRepository answers this late, so that a push that did not wait for it would show. */
export async function startEcrStandIn(options: { account: string; region: string; createDelayMs?: number }): Promise<EcrStandIn> {
  const accessKey = 'AKIAEXAMPLESTANDIN01';
  const calls: EcrCall[] = [];
  const repositories = new Map<string, EcrRepository>();
  const { account, region } = options;
  const arn = (name: string) => `arn:aws:ecr:${region}:${account}:repository/${name}`;
  const describe = (r: EcrRepository) => ({
    repositoryArn: arn(r.repositoryName),
    registryId: account,
    repositoryName: r.repositoryName,
    repositoryUri: `${account}.dkr.ecr.${region}.amazonaws.com/${r.repositoryName}`,
    createdAt: 1.764E9,
    imageTagMutability: r.imageTagMutability,
    imageScanningConfiguration: r.imageScanningConfiguration,
    encryptionConfiguration: r.encryptionConfiguration,
  });
  const handlers: Record<string, (body: Record<string, unknown>) => [number, unknown]> = {
    DescribeRepositories(body) {
      const names = (body.repositoryNames as string[] | undefined) ?? [...repositories.keys()];
      const unknown = names.find((n) => !repositories.has(n));
      if (unknown) return error('RepositoryNotFoundException', `The repository with name '${unknown}' does not exist in the registry with id '${account}'`);
      return [200, { repositories: names.map((n) => describe(repositories.get(n)!)) }];
    },
    CreateRepository(body) {
      const name = body.repositoryName as string;
      if (repositories.has(name)) return error('RepositoryAlreadyExistsException', `The repository with name '${name}' already exists in the registry with id '${account}'`);
      const encryption = (body.encryptionConfiguration as EcrRepository['encryptionConfiguration'] | undefined) ?? { encryptionType: 'AES256' };
      const repo: EcrRepository = {
        repositoryName: name,
        imageTagMutability: (body.imageTagMutability as string | undefined) ?? 'MUTABLE',
        imageScanningConfiguration: (body.imageScanningConfiguration as { scanOnPush: boolean } | undefined) ?? { scanOnPush: false },
        encryptionConfiguration: encryption.encryptionType === 'KMS' ? { encryptionType: 'KMS', kmsKey: `arn:aws:kms:${region}:${account}:key/${encryption.kmsKey ?? 'aws/ecr'}` } : encryption,
      };
      repositories.set(name, repo);
      return [200, { repository: describe(repo) }];
    },
    PutLifecyclePolicy(body) {
      const name = body.repositoryName as string;
      const repo = repositories.get(name);
      if (!repo) return error('RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry with id '${account}'`);
      repo.lifecyclePolicyText = body.lifecyclePolicyText as string;
      return [200, { registryId: account, repositoryName: name, lifecyclePolicyText: repo.lifecyclePolicyText }];
    },
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const op = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
      const auth = String(req.headers.authorization ?? '');
      const scope = new RegExp(`^AWS4-HMAC-SHA256 Credential=${accessKey}/\\d{8}/${region}/ecr/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$`);
      let answer: [number, unknown];
      if (!scope.test(auth)) answer = error('UnrecognizedClientException', 'The security token included in the request is invalid.');
      else if (req.method !== 'POST' || req.headers['content-type'] !== 'application/x-amz-json-1.1' || !handlers[op]) answer = error('UnknownOperationException', `Unknown operation ${target}`);
      else {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        if (body.registryId !== undefined && body.registryId !== account) answer = error('InvalidParameterException', `Invalid parameter at 'registryId' failed to satisfy constraint: 'registry ${String(body.registryId)} is not this account'`);
        else {
          const call: EcrCall = { op, body };
          calls.push(call);
          answer = handlers[op]!(body);
          const delay = op === 'CreateRepository' ? (options.createDelayMs ?? 0) : 0;
          setTimeout(() => send(res, answer, (call.at = Date.now())), delay);
          return;
        }
      }
      send(res, answer, Date.now());
    });
  });
  const send = (res: ServerResponse, answer: [number, unknown], at: number) => {
    const [status, payload] = answer;
    const type = status === 200 ? undefined : (payload as { __type: string }).__type;
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `stand-in-${at}`, ...(type ? { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazonaws.containerregistry.v20150921/` } : {}) });
    res.end(JSON.stringify(payload));
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    calls,
    repositories,
    env: {
      AWS_ENDPOINT_URL_ECR: endpoint,
      AWS_ACCESS_KEY_ID: accessKey,
      AWS_SECRET_ACCESS_KEY: 'stand-in-secret-value-never-printed',
      // No other credential source: no instance metadata, no shared files.
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/nonexistent/aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function error(type: string, message: string): [number, unknown] {
  return [400, { __type: type, message }];
}
