/**
 * The plan JSON's shared parts and its `changes` section as zod schemas (docs/plan-json.md): what
 * apply changes and skips and why, what a published image is, the components of an inputs digest,
 * and the fingerprint a saved plan is checked against before it is applied. One definition gives
 * the TypeScript types, the parser of saved plans and docs/schema/plan.schema.json. Pure.
 */
import { z } from 'zod';

/** Named parts: they become `definitions` in docs/schema/plan.schema.json. */
export const planJsonDefinitions = z.registry<{ id: string; description?: string }>();

export const nodeIdSchema = z.string().regex(/^(prepare|build|test|scan|push|index):/).register(planJsonDefinitions, { id: 'nodeId' });
export const platformSchema = z.string().regex(/^[a-z0-9]+\/[a-z0-9]+(\/[a-z0-9]+)?$/).register(planJsonDefinitions, { id: 'platform' });
export const digestSchema = z.string().regex(/^sha256:[a-f0-9]{64}/).register(planJsonDefinitions, { id: 'digest' });
export const stringMapSchema = z.record(z.string(), z.string()).register(planJsonDefinitions, { id: 'stringMap' });

export const publishedImageSchema = z
  .strictObject({
    ref: z.string(),
    digest: digestSchema,
    mediaType: z.string(),
    size: z.number().int().min(0),
    target: z.string().describe("the config's name of the registry it was seen on"),
    host: z.string(),
    repository: z.string(),
  })
  .register(planJsonDefinitions, { id: 'publishedImage', description: 'A published platform image that already has the inputs: where it was seen (`host/repo:tag`) and what it is.' });

/** The label format (dev.multiarch.inputs.detail): optional keys are absent, as in the label. */
export const inputsDetailSchema = z
  .strictObject({
    platform: z.string(),
    builder: z.string(),
    context: z.string(),
    dockerfile: z.string(),
    target: z.string().nullable(),
    args: stringMapSchema.describe('arg name → short sha256 of its value, or `ref:<image>@<inputs digest>`'),
    bases: stringMapSchema.describe('`<ref> <platform>` → digest'),
    labels: stringMapSchema,
    prepare: z.string().optional(),
    secrets: z.array(z.string()).optional(),
    ssh: z.array(z.string()).optional(),
  })
  .register(planJsonDefinitions, { id: 'inputsDetail', description: "The components of a build's inputs digest (docs/incremental.md); never a secret's value." });

const pushChangeSchema = z.strictObject({
  node: nodeIdSchema,
  target: z.string(),
  action: z.enum(['push', 'skip', 'copy', 'retag']),
  from: z
    .strictObject({ ref: z.string(), target: z.string(), repository: z.string(), digest: digestSchema })
    .nullable()
    .describe('copy/retag: where the manifest already is (`ref` is `host/repo@digest`, `target` the config name of that registry)'),
  write: z.array(z.string()),
  digestRepositories: z.array(z.string()),
});

const platformChangeSchema = z
  .strictObject({
    image: z.string(),
    platform: platformSchema,
    node: nodeIdSchema,
    action: z.enum(['create', 'rebuild', 'up-to-date', 'copy', 'retag']),
    inputs: digestSchema,
    detail: inputsDetailSchema,
    reasons: z.array(z.string()),
    current: publishedImageSchema.nullable(),
    pushes: z.array(pushChangeSchema),
  })
  .register(planJsonDefinitions, { id: 'platformChange' });

const indexChangeSchema = z
  .strictObject({
    image: z.string(),
    node: nodeIdSchema,
    tag: z.string(),
    target: z.string(),
    ref: z.string(),
    action: z.enum(['create', 'update', 'unchanged']),
    current: digestSchema.nullable(),
    children: z.array(z.strictObject({ platform: platformSchema, change: z.enum(['added', 'removed', 'changed', 'rebuilt']) })),
  })
  .register(planJsonDefinitions, { id: 'indexChange' });

export const changesJsonSchema = z
  .strictObject({
    state: z.enum(['registry', 'local']),
    platforms: z.array(platformChangeSchema),
    indexes: z.array(indexChangeSchema),
    summary: z.strictObject({
      build: z.number().int().min(0),
      push: z.number().int().min(0),
      indexCreate: z.number().int().min(0),
      indexUpdate: z.number().int().min(0),
      unchanged: z.number().int().min(0),
      hasChanges: z.boolean().describe('what `--detailed-exitcode` exits 2 on: a build, push or index to write, or a signature or attestation still missing'),
    }),
    fingerprint: z
      .strictObject({
        inputs: z.record(z.string(), digestSchema).describe('build node id → inputs digest'),
        tags: z.record(z.string(), digestSchema.nullable()).describe('`host/repo:tag` → the digest it held, null: missing'),
      })
      .describe('What the plan was made from: `apply plan.json` compares it with a fresh look and refuses a stale plan.'),
  })
  .register(planJsonDefinitions, { id: 'changes', description: 'What apply changes and skips, and why (docs/plan-json.md#changes).' });

export type PlanJsonChanges = z.infer<typeof changesJsonSchema>;
export type InputsDetailJson = z.infer<typeof inputsDetailSchema>;
export type PublishedImageJson = z.infer<typeof publishedImageSchema>;
