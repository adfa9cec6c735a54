/**
 * The plan JSON's ECR repository parts (docs/publishing.md#ecr-repositories) as zod schemas: a
 * target's `ecrRepositories` policy, the repositories a push or index node creates before it writes
 * (`createRepositories`, what apply carries out), and the top-level `repositories` list that shows
 * them once each. Pure.
 */
import { z } from 'zod';
import { nodeIdSchema, planJsonDefinitions } from './plan-json-changes-schema.js';

const accountSchema = z.string().regex(/^\d{12}$/);

export const ecrSettingsJsonSchema = z
  .strictObject({
    imageTagMutability: z.enum(['MUTABLE', 'IMMUTABLE']).nullable(),
    scanOnPush: z.boolean().nullable(),
    encryption: z.discriminatedUnion('type', [z.strictObject({ type: z.literal('AES256') }), z.strictObject({ type: z.literal('KMS'), kmsKey: z.string() })]).nullable(),
    lifecyclePolicy: z.string().nullable().describe("the lifecycle policy's JSON text"),
  })
  .register(planJsonDefinitions, { id: 'ecrRepositorySettings', description: 'What a repository multiarch creates gets; null: ECR\'s default.' });

export const ecrPolicyJsonSchema = z
  .strictObject({
    account: accountSchema,
    region: z.string(),
    profile: z.string().nullable().describe('the AWS profile `auth.ecr` names'),
    create: z.boolean().describe('createRepositories: a missing repository is created (else it is a plan error)'),
    settings: ecrSettingsJsonSchema,
  })
  .register(planJsonDefinitions, { id: 'ecrRepositoryPolicy', description: '`registries.<name>.ecr`: the repositories a plan writes there are checked before planning.' });

export const repositoryCreationJsonSchema = z
  .strictObject({
    repository: z.string(),
    account: accountSchema,
    region: z.string(),
    profile: z.string().nullable(),
    settings: ecrSettingsJsonSchema,
    checked: z.boolean().describe('false: whether it exists could not be read before planning; apply creates it unless it is there'),
  })
  .register(planJsonDefinitions, { id: 'repositoryCreation', description: 'An ECR repository apply creates (once per run) before the node writes into it.' });

export const repositoryJsonSchema = z.strictObject({
  registry: z.string().describe("the registry's name in the config"),
  ref: z.string().describe('host/repository'),
  repository: z.string(),
  account: accountSchema,
  region: z.string(),
  settings: ecrSettingsJsonSchema,
  checked: z.boolean(),
  nodes: z.array(nodeIdSchema).describe('the push and index nodes that wait for it'),
});

export type EcrSettingsJson = z.infer<typeof ecrSettingsJsonSchema>;
export type EcrPolicyJson = z.infer<typeof ecrPolicyJsonSchema>;
export type RepositoryCreationJson = z.infer<typeof repositoryCreationJsonSchema>;
export type RepositoryJson = z.infer<typeof repositoryJsonSchema>;
