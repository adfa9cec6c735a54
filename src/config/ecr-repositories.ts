/**
 * `registries.<name>.ecr`: the repositories of an AWS ECR registry — checked before planning
 * (DescribeRepositories) and, with `createRepositories: true`, created by apply before the first
 * push into them, with these settings. The schema, the ECR host name, and the resolved policy. Pure.
 */
import { z } from 'zod';
import type { ConfigIssue } from './issue.js';

const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** `123456789012.dkr.ecr.us-west-2.amazonaws.com` (FIPS and China hosts too) → its account and region. */
export function parseEcrHost(host: string): { readonly account: string; readonly region: string } | undefined {
  const m = ECR_HOST.exec(host);
  return m ? { account: m[1]!, region: m[2]! } : undefined;
}

export const ecrRepositoriesSchema = z.strictObject({
  /** Create each missing repository (before the first push into it). Without it a missing one is a plan error. */
  createRepositories: z.boolean().optional(),
  /** New repositories' tag mutability (ECR's default: MUTABLE). */
  imageTagMutability: z.enum(['MUTABLE', 'IMMUTABLE']).optional(),
  /** New repositories scan each pushed image (ECR basic scanning). */
  scanOnPush: z.boolean().optional(),
  /** New repositories' encryption: `'AES256'` (ECR's default) or KMS, with a key ARN/alias or AWS's managed key. */
  encryption: z.union([z.literal('AES256'), z.strictObject({ kms: z.string().min(1, { error: 'kms must name a key (ARN, id or alias/…), or use { kms: "aws/ecr" }' }) })]).optional(),
  /** New repositories' lifecycle policy: the policy as an object (`{ rules: [...] }`) or its JSON text. */
  lifecyclePolicy: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  /** Only for a url that is not `<account>.dkr.ecr.<region>.amazonaws.com` (a host in front of ECR): the account… */
  account: z.string().regex(/^\d{12}$/, { error: 'account must be the 12-digit AWS account id' }).optional(),
  /** …and its region. */
  region: z.string().regex(/^[a-z]{2}(?:-[a-z]+)+-\d+$/, { error: 'region must be an AWS region such as us-west-2' }).optional(),
});

export type UserEcrRepositories = z.input<typeof ecrRepositoriesSchema>;

/** What a repository multiarch creates gets, as CreateRepository and PutLifecyclePolicy take it. */
export interface EcrRepositorySettings {
  readonly imageTagMutability?: 'MUTABLE' | 'IMMUTABLE';
  readonly scanOnPush?: boolean;
  readonly encryption?: { readonly type: 'AES256' } | { readonly type: 'KMS'; readonly kmsKey: string };
  /** The policy's JSON text. */
  readonly lifecyclePolicy?: string;
}

/** The resolved `ecr` block: where the repositories are, and whether and how missing ones are created. */
export interface EcrRepositoryPolicy {
  readonly account: string;
  readonly region: string;
  /** The AWS profile `auth.ecr` names, if any: the same credentials as the login. */
  readonly profile?: string;
  readonly create: boolean;
  readonly settings: EcrRepositorySettings;
}

const SETTINGS = ['imageTagMutability', 'scanOnPush', 'encryption', 'lifecyclePolicy'] as const;

export function normalizeEcrRepositories(
  name: string,
  host: string,
  user: UserEcrRepositories,
  profile: string | undefined,
  issues: ConfigIssue[],
): EcrRepositoryPolicy | undefined {
  const at = (field?: string) => ['registries', name, 'ecr', ...(field ? [field] : [])];
  const fromHost = parseEcrHost(host);
  const start = issues.length;
  if (fromHost) {
    for (const key of ['account', 'region'] as const) {
      if (user[key] !== undefined) issues.push({ path: at(key), message: `${key} is read from the url (${host})`, hint: `remove ${key}` });
    }
  } else if (user.account === undefined || user.region === undefined) {
    issues.push({
      path: at(),
      message: `${host} is not an ECR registry (<account>.dkr.ecr.<region>.amazonaws.com), so ecr has no repositories to manage`,
      hint: 'remove ecr, or give ecr.account and ecr.region when this host fronts an ECR registry',
    });
  }
  const create = user.createRepositories === true;
  if (!create) {
    for (const key of SETTINGS) {
      if (user[key] !== undefined) {
        issues.push({ path: at(key), message: `${key} applies only to repositories multiarch creates`, hint: 'set ecr.createRepositories: true, or remove it' });
      }
    }
  }
  const lifecyclePolicy = user.lifecyclePolicy === undefined ? undefined : lifecyclePolicyText(user.lifecyclePolicy, at('lifecyclePolicy'), issues);
  if (issues.length > start) return undefined;
  const account = fromHost?.account ?? user.account!;
  const region = fromHost?.region ?? user.region!;
  const settings: EcrRepositorySettings = {
    ...(user.imageTagMutability ? { imageTagMutability: user.imageTagMutability } : {}),
    ...(user.scanOnPush !== undefined ? { scanOnPush: user.scanOnPush } : {}),
    ...(user.encryption ? { encryption: user.encryption === 'AES256' ? { type: 'AES256' as const } : { type: 'KMS' as const, kmsKey: user.encryption.kms } } : {}),
    ...(lifecyclePolicy ? { lifecyclePolicy } : {}),
  };
  return { account, region, ...(profile ? { profile } : {}), create, settings };
}

/** An object is written as JSON; text must already be a JSON policy. Either way it needs `rules`. */
function lifecyclePolicyText(value: string | Record<string, unknown>, path: ConfigIssue['path'], issues: ConfigIssue[]): string | undefined {
  let policy: unknown = value;
  if (typeof value === 'string') {
    try {
      policy = JSON.parse(value);
    } catch (error) {
      issues.push({ path, message: `lifecyclePolicy is not JSON: ${(error as Error).message}`, hint: 'give the policy as an object ({ rules: [...] }) or as its JSON text' });
      return undefined;
    }
  }
  const rules = policy && typeof policy === 'object' ? (policy as { rules?: unknown }).rules : undefined;
  if (!Array.isArray(rules) || rules.length === 0) {
    issues.push({ path, message: 'lifecyclePolicy needs a non-empty "rules" list', hint: 'e.g. { rules: [{ rulePriority: 1, selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 14 }, action: { type: "expire" } }] }' });
    return undefined;
  }
  return typeof value === 'string' ? value : JSON.stringify(policy);
}

/** The settings as `plan` shows them: `immutable tags, scan on push, KMS alias/x, lifecycle policy`. */
export function describeEcrSettings(settings: EcrRepositorySettings): string {
  const parts: string[] = [];
  if (settings.imageTagMutability) parts.push(settings.imageTagMutability === 'IMMUTABLE' ? 'immutable tags' : 'mutable tags');
  if (settings.scanOnPush !== undefined) parts.push(settings.scanOnPush ? 'scan on push' : 'no scan on push');
  if (settings.encryption) parts.push(settings.encryption.type === 'KMS' ? `KMS ${settings.encryption.kmsKey}` : 'AES256');
  if (settings.lifecyclePolicy) {
    const rules = (JSON.parse(settings.lifecyclePolicy) as { rules: unknown[] }).rules.length;
    parts.push(`lifecycle policy (${rules} rule${rules === 1 ? '' : 's'})`);
  }
  return parts.length > 0 ? parts.join(', ') : 'ECR defaults';
}
