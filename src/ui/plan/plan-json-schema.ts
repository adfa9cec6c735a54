/**
 * The plan JSON (docs/plan-json.md) as one zod schema: what `plan --json` prints, what `plan --out`
 * saves and what `apply plan.json` parses. It carries every decision apply carries out (each node's
 * `action`), so a saved plan is applied exactly as it was shown. docs/schema/plan.schema.json is
 * generated from it (scripts/write-plan-schema.ts; a unit test keeps the two equal). Pure.
 */
import { z } from 'zod';
import { SCANNERS, SEVERITIES } from '../../config/scan.js';
import {
  changesJsonSchema,
  digestSchema,
  inputsDetailSchema,
  nodeIdSchema,
  planJsonDefinitions,
  platformSchema,
  publishedImageSchema,
  stringMapSchema,
} from './plan-json-changes-schema.js';
import { ecrPolicyJsonSchema, repositoryCreationJsonSchema, repositoryJsonSchema } from './plan-json-ecr-schema.js';

/** Bumped only for incompatible changes; 2: saved plans are this document (they were the internal plan). */
export const PLAN_JSON_VERSION = 2;

const formatSchema = z.enum(['oci', 'docker']).register(planJsonDefinitions, { id: 'format' });

export const targetJsonSchema = z
  .strictObject({
    name: z.string().describe("the config's name for it"),
    host: z.string().describe('as written in image references: `docker.io`, `127.0.0.1:5000`, `oci:/abs/dir`'),
    apiHost: z.string(),
    authKey: z.string().describe('the key of its credentials in Docker\'s config.json (never the credentials)'),
    scheme: z.enum(['http', 'https']),
    isDockerHub: z.boolean(),
    layout: z.string().nullable().describe('an OCI image layout directory (absolute), or null for a registry'),
    ecr: z.strictObject({ region: z.string(), profile: z.string().nullable() }).nullable().describe('credentials from AWS ECR'),
    ecrRepositories: ecrPolicyJsonSchema.optional().describe('`registries.<name>.ecr`; absent when it has none'),
  })
  .register(planJsonDefinitions, { id: 'target', description: 'A publish target: where to connect and how to name things there.' });

const runActionSchema = z
  .discriminatedUnion('type', [z.strictObject({ type: z.literal('run') }), z.strictObject({ type: z.literal('skip'), why: z.string() })])
  .register(planJsonDefinitions, { id: 'runAction', description: 'run: the step does its work; skip: what it would make is current.' });

const base = { id: nodeIdSchema, label: z.string(), deps: z.array(nodeIdSchema) };

const refArgSchema = z.strictObject({
  ref: z.strictObject({ image: z.string(), node: nodeIdSchema, repository: z.string(), local: z.string().optional() }),
});

const cacheSchema = z.strictObject({
  from: z.array(
    z.discriminatedUnion('type', [
      z.strictObject({
        type: z.literal('registry'),
        ref: z.string(),
        automatic: z.literal(true).optional(),
        /** When the image's tags moved: the earlier tag the automatic source was found under, and why. */
        earlier: z.string().optional(),
      }),
      z.strictObject({ type: z.literal('local'), dir: z.string() }),
      z.strictObject({ type: z.literal('gha'), scope: z.string() }),
    ]),
  ),
  to: z.array(
    z.discriminatedUnion('type', [
      z.strictObject({ type: z.literal('inline') }),
      z.strictObject({ type: z.literal('registry'), ref: z.string(), mode: z.enum(['min', 'max']).optional() }),
      z.strictObject({ type: z.literal('local'), dir: z.string(), mode: z.enum(['min', 'max']).optional() }),
      z.strictObject({ type: z.literal('gha'), scope: z.string(), mode: z.enum(['min', 'max']).optional() }),
    ]),
  ),
  none: z.string().nullable(),
});

const prepareNodeSchema = z.strictObject({
  ...base,
  kind: z.literal('prepare'),
  platform: platformSchema,
  context: z.string(),
  source: z.strictObject({ hash: digestSchema, description: z.string() }),
  outputs: z.array(z.string()),
  action: runActionSchema,
});

const buildNodeSchema = z.strictObject({
  ...base,
  kind: z.literal('build'),
  platform: platformSchema,
  runs: z.enum(['native', 'emulated', 'no-emulator']).nullable(),
  path: z.enum(['direct', 'engine']).describe("direct: assembled without an engine (docs/direct-builds.md); engine: built by the builder's engine"),
  epoch: z.number().int().nullable().describe('direct path: every file mtime and the image config `created` (seconds); null on the engine path'),
  engineReason: z.string().nullable().describe('engine path: the instruction (and line) or setting that needs an engine'),
  context: z.string(),
  dockerfile: z.string(),
  target: z.string().nullable(),
  args: z.record(z.string(), z.union([z.string(), refArgSchema])).describe('a secret-looking value is `***`; apply takes it from the config'),
  labels: stringMapSchema,
  localTag: z.string(),
  builder: z.string(),
  cache: cacheSchema.nullable(),
  secrets: z
    .record(z.string(), z.union([z.strictObject({ env: z.string() }), z.strictObject({ file: z.string() })]))
    .describe('BuildKit secrets by id: where the value comes from, never the value'),
  ssh: z.record(z.string(), z.strictObject({ socket: z.string().nullable() })),
  ignore: z.array(z.string()).nullable().describe("multiarch's own directories in the context, not sent to the engine"),
  action: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('build'), record: z.strictObject({ detail: inputsDetailSchema }).nullable() }),
      z.strictObject({ type: z.literal('reuse'), published: publishedImageSchema, inputs: z.strictObject({ digest: digestSchema, detail: inputsDetailSchema }), why: z.string() }),
    ])
    .describe('build: build it (recording these inputs); reuse: the published image already has these inputs'),
});

const testNodeSchema = z.strictObject({
  ...base,
  kind: z.literal('test'),
  platform: platformSchema,
  build: nodeIdSchema,
  command: z.array(z.string()).nullable(),
  expectOutput: z.string().nullable(),
  http: z.strictObject({ port: z.number().int(), path: z.string(), expectStatus: z.number().int(), timeoutSeconds: z.number() }).nullable(),
  timeoutSeconds: z.number(),
  builder: z.string(),
  runs: z.enum(['native', 'emulated', 'no-emulator']).nullable(),
  action: runActionSchema,
});

const scanNodeSchema = z.strictObject({
  ...base,
  kind: z.literal('scan'),
  platform: platformSchema,
  build: nodeIdSchema,
  scanner: z.enum(SCANNERS),
  scannerVersion: z.string().nullable(),
  db: z.string().nullable(),
  dbUpdatedAt: z.string().nullable(),
  dbUpdate: z.enum(['due', 'check', 'fresh', 'offline']).nullable().describe('due: apply downloads a newer DB first; check: apply asks for one; offline: used as is'),
  problem: z.string().nullable(),
  policy: z.strictObject({
    failOn: z.enum(SEVERITIES),
    ignoreUnfixed: z.boolean(),
    exceptions: z.array(z.strictObject({ id: z.string(), until: z.string().regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/), reason: z.string(), source: z.string() })),
  }),
  options: z.strictObject({ cacheDir: z.string().nullable(), offline: z.boolean(), dbRepository: z.string().nullable() }),
  dockerfile: z.string(),
  timeoutSeconds: z.number(),
  cache: z
    .strictObject({
      state: z.enum(['none', 'reuse', 'new-db', 'new-scanner', 'db-update']),
      imageId: z.string().nullable(),
      from: z.string().nullable(),
      to: z.string().nullable(),
    })
    .nullable(),
  action: runActionSchema,
});

const pushNodeSchema = z.strictObject({
  ...base,
  kind: z.literal('push'),
  platform: platformSchema,
  build: nodeIdSchema,
  target: targetJsonSchema,
  format: formatSchema,
  refs: z.array(z.string()).describe('every `host/repository:tag` it writes'),
  digestRepositories: z.array(z.string()),
  copyFrom: nodeIdSchema.nullable(),
  fromShard: z
    .strictObject({
      layout: z.string(),
      repository: z.string(),
      digest: digestSchema,
      predicates: z.record(z.string(), digestSchema).optional().describe('predicate type → the blob in the layout holding the predicate the shard made (the merge signs it)'),
    })
    .optional(),
  annotations: stringMapSchema.nullable(),
  sign: z.strictObject({ keyId: z.string() }).optional(),
  attest: z
    .strictObject({ provenance: z.boolean(), sbom: z.enum(['cyclonedx', 'spdx']).nullable() })
    .optional()
    .describe('with `sign`: attested with that key; without (a shard): the predicates are made for the merge to sign'),
  createRepositories: z.array(repositoryCreationJsonSchema).optional().describe('ECR repositories created before anything is written; absent when none'),
  action: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('push') }),
      z.strictObject({ type: z.literal('skip'), published: publishedImageSchema }),
      z.strictObject({
        type: z.enum(['copy', 'retag']),
        published: publishedImageSchema,
        from: z.strictObject({ ref: z.string(), target: targetJsonSchema, repository: z.string(), digest: digestSchema }),
        write: z.array(z.string()).describe('the refs (of `refs`) it writes'),
        digestRepositories: z.array(z.string()),
      }),
    ])
    .describe('push: export (or copy) and write every ref; skip: every ref holds it; copy/retag: the published manifest onto `write`'),
});

const indexNodeSchema = z.strictObject({
  ...base,
  kind: z.literal('index'),
  tag: z.string(),
  target: targetJsonSchema,
  format: formatSchema,
  ref: z.string(),
  children: z.array(z.strictObject({ platform: platformSchema, node: nodeIdSchema, annotations: stringMapSchema.nullable() })),
  annotations: stringMapSchema,
  sign: z.strictObject({ keyId: z.string() }).optional(),
  createRepositories: z.array(repositoryCreationJsonSchema).optional().describe('ECR repositories created before the index is written; absent when none'),
  action: z.discriminatedUnion('type', [z.strictObject({ type: z.literal('write') }), z.strictObject({ type: z.literal('skip'), current: digestSchema })]),
});

const nodeSchema = z
  .discriminatedUnion('kind', [prepareNodeSchema, buildNodeSchema, testNodeSchema, scanNodeSchema, pushNodeSchema, indexNodeSchema])
  .register(planJsonDefinitions, { id: 'node' });

const engineSchema = z
  .discriminatedUnion('reachable', [
    z.strictObject({ reachable: z.literal(true), version: z.string().nullable(), nativePlatform: z.string(), emulated: z.array(z.string()).nullable(), host: z.string().nullable() }),
    z.strictObject({ reachable: z.literal(false), problem: z.string() }),
  ])
  .nullable();

const builderSchema = z
  .strictObject({ name: z.string(), host: z.string().nullable(), context: z.string().nullable(), concurrency: z.number().int().nullable(), engine: engineSchema })
  .register(planJsonDefinitions, { id: 'builder' });

const count = z.number().int().min(0);

export const planJsonSchema = z.strictObject({
  schemaVersion: z.literal(PLAN_JSON_VERSION),
  configFile: z.string(),
  builder: z
    .strictObject({ kind: z.enum(['buildx', 'buildkit', 'legacy']), description: z.string(), nativePlatform: platformSchema, emulated: z.array(z.string()) })
    .nullable(),
  git: z.strictObject({ revision: z.string().nullable(), source: z.string().nullable(), created: z.string().nullable() }).nullable(),
  today: z.string().nullable().describe('the UTC day the plan was made: scan exceptions expire against it'),
  builders: z.array(builderSchema).describe("The builders the plan's builds run on (docs/builders.md) and what was seen of their engines."),
  images: z
    .array(z.strictObject({ name: z.string(), platforms: z.array(platformSchema), nodes: z.array(nodeSchema) }))
    .describe('In dependency order: an image comes after the images it is built on.'),
  order: z.array(nodeIdSchema),
  refs: z
    .array(
      z.strictObject({ ref: z.string(), kind: z.enum(['platform', 'index']), node: nodeIdSchema, image: z.string(), platform: platformSchema.nullable(), target: z.string() }),
    )
    .describe('Every ref the plan would write, with the node that writes it.'),
  notes: z.array(z.strictObject({ image: z.string(), message: z.string() })),
  totals: z.strictObject({ prepares: count, builds: count, tests: count, scans: count, pushes: count, indexes: count, refs: count }),
  changes: changesJsonSchema.nullable(),
  repositories: z
    .array(repositoryJsonSchema)
    .describe('ECR repositories apply creates before the first push into them, once each (from the nodes\' createRepositories; docs/publishing.md#ecr-repositories).'),
});

export type PlanJson = z.infer<typeof planJsonSchema>;
export type PlanJsonNode = z.infer<typeof nodeSchema>;
export type PlanJsonTarget = z.infer<typeof targetJsonSchema>;
export type PlanJsonBuilder = z.infer<typeof builderSchema>;
export type PlanJsonCache = z.infer<typeof cacheSchema>;

/** docs/schema/plan.schema.json, as generated from the schema above. */
export function planJsonSchemaDocument(): Record<string, unknown> {
  const generated = z.toJSONSchema(planJsonSchema, { target: 'draft-7', metadata: planJsonDefinitions, unrepresentable: 'throw' });
  return {
    $schema: generated.$schema,
    $id: 'https://github.com/multiarch/multiarch/docs/schema/plan.schema.json',
    title: 'multiarch plan JSON',
    description: `What \`multiarch plan --json\` prints and \`plan --out\` saves for \`apply plan.json\` (schemaVersion ${PLAN_JSON_VERSION}). See docs/plan-json.md. Generated from src/ui/plan-json-schema.ts.`,
    ...Object.fromEntries(Object.entries(generated).filter(([k]) => k !== '$schema')),
  };
}
