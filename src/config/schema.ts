/**
 * The config's single source of truth: zod schemas with unknown keys rejected. `UserConfig` (what
 * people write) is inferred from them. Semantic checks that need more than one field live in
 * rules.ts; platform parsing and template rendering in normalize.ts. Pure.
 */
import { z } from 'zod';
import type { PrepareFn } from '../prepare/context.js';
import type { KNOWN_PLATFORMS } from './platform.js';
import { isImageRef, type ImageRef } from './ref.js';
import { cacheSchema } from './cache.js';
import { ecrRepositoriesSchema } from './ecr-repositories.js';
import { isGitTagsRule, type GitTagsRule } from './git-tags.js';
import { imageScanSchema, scanSchema } from './scan.js';
import { attestSchema, signSchema } from './supply-chain.js';
import type { Template } from './template.js';

/** Known platforms complete in the editor; aliases such as "arm64/v8" are still accepted. */
type PlatformName = (typeof KNOWN_PLATFORMS)[number] | (string & {});

const nonEmpty = (what: string) => z.string().min(1, { error: `${what} must not be empty` });

const templateSchema = z.union([
  nonEmpty('a naming template'),
  z.custom<Exclude<Template, string>>((v) => typeof v === 'function', {
    error: 'expected a template string such as "{arch}-{tag}" or a function of { image, tag, os, arch, variant, platform }',
  }),
]);

const imageRefSchema = z.custom<ImageRef>(isImageRef, { error: 'expected a string or ref("image")' });

export const registrySchema = z.strictObject({
  /**
   * Host and optional port, as in an image reference: `127.0.0.1:5000`, `docker.io`, `ghcr.io`;
   * or `oci:./dir`: an OCI image layout directory (relative to this config file), no server needed.
   */
  url: nonEmpty('registry url'),
  /** Plain HTTP, no TLS. Only for registries you run yourself (a local test registry). */
  insecure: z.boolean().optional(),
  /** Where credentials come from when not from Docker's config: `{ ecr: { region: 'us-west-2' } }`. */
  auth: z
    .strictObject({
      /** AWS ECR: docker-credential-ecr-login if installed, else `aws ecr get-login-password`. */
      ecr: z.strictObject({ region: nonEmpty('region'), profile: nonEmpty('profile').optional() }),
    })
    .optional(),
  /**
   * AWS ECR repositories: checked before planning; `{ createRepositories: true, imageTagMutability?,
   * scanOnPush?, encryption?, lifecyclePolicy? }` creates the missing ones before the first push.
   */
  ecr: ecrRepositoriesSchema.optional(),
});

export const publishSchema = z.strictObject({
  /** A key of `registries`. */
  registry: nonEmpty('registry'),
  /** Where the multi-arch index goes, e.g. `team/web`. */
  repository: nonEmpty('repository'),
  /** Where each platform's image goes (default: `repository`), e.g. `team/web-{arch}`. */
  platformRepository: templateSchema.optional(),
  /**
   * Each platform image's tag (default: `{tag}-{platform}`), e.g. `{arch}-{tag}`; `false`: platform
   * images are pushed by digest only, the index references them.
   */
  platformTag: z.union([templateSchema, z.literal(false)]).optional(),
  /** The multi-arch index's tag (default: `{tag}`), e.g. `multi-arch-{tag}`. */
  indexTag: templateSchema.optional(),
  /** Manifest format: OCI (default) or Docker schema 2 / manifest list. */
  format: z.enum(['oci', 'docker']).optional(),
  /** Which of the image's tags this target gets (default: all of them), e.g. `latest` on one registry only. */
  tags: z.array(nonEmpty('tag')).min(1, { error: 'list at least one of the image\'s tags, or leave tags out for all' }).optional(),
});

export const httpProbeSchema = z.strictObject({
  /** The container port the server listens on. */
  port: z.number().int().min(1).max(65535),
  path: z.string().startsWith('/', { error: 'path must start with "/"' }).optional(),
  expectStatus: z.number().int().min(100).max(599).optional(),
  /** Seconds to wait for the server to answer (emulated platforms start slowly). Default 60. */
  timeout: z.number().positive().optional(),
});

export const testSchema = z.strictObject({
  /** Run in each platform's image before anything is pushed; must exit 0. `['uname', '-m']`. */
  command: z.array(z.string()).min(1, { error: 'command needs at least the program to run' }).optional(),
  /**
   * What the command's output must contain. Placeholders: `{uname}` (what `uname -m` prints on the
   * platform, e.g. `aarch64`), `{arch}`, `{os}`, `{variant}`, `{platform}`.
   */
  expectOutput: z.string().optional(),
  /** Start the image and request a path: the seed's "open it in a browser" check. */
  http: httpProbeSchema.optional(),
  /** Seconds a test may run. Default 120. */
  timeout: z.number().positive().optional(),
});

const prepareFnSchema = z.custom<PrepareFn>((v) => typeof v === 'function', {
  error: 'expected a function of { $, platform }, e.g. async ({ $, platform }) => { await $`make ARCH=${platform.arch}` }',
});

/** A host-side step before each platform's build: a function, or one with the files it writes. */
export const prepareSchema = z.union([
  prepareFnSchema,
  z.strictObject({
    run: prepareFnSchema,
    /** Globs (relative to the context) of what `run` writes, e.g. `['dist/**']`: reported and digested. */
    outputs: z.array(nonEmpty('an outputs glob')).optional(),
  }),
], { error: 'expected a function of { $, platform }, or { run: that function, outputs: ["dist/**"] }' });

export const dockerEndpointSchema = z.strictObject({
  /** DOCKER_HOST for this builder: `ssh://user@host`, `tcp://host:2376`, `unix:///path/docker.sock`. */
  host: nonEmpty('host').optional(),
  /** A docker context (`docker context ls`) for this builder. */
  context: nonEmpty('context').optional(),
});

export const builderSchema = z.strictObject({
  /** The engine: `{}` is the one the environment points at (DOCKER_HOST, the current context). */
  docker: dockerEndpointSchema,
  /** Builds and tests running on this engine at once (default: only --concurrency limits them). */
  concurrency: z.number().int().min(1, { error: 'concurrency must be at least 1' }).optional(),
});

export const buildSchema = z.strictObject({
  /**
   * `auto` (default): assembled without an engine when the Dockerfile runs nothing (no RUN), else
   * built by Docker; `docker`: always the engine; `direct`: always assembled (an error if it cannot be).
   */
  engine: z.enum(['auto', 'docker', 'direct'], { error: "expected 'auto', 'docker' or 'direct'" }).optional(),
});
const secretIdSchema = z.string().regex(/^[A-Za-z0-9_.-]+$/, { error: 'a secret id uses letters, digits, ".", "_" and "-" (as in RUN --mount=type=secret,id=<id>)' });

/** Where a build secret's value comes from: never the value itself, so the config can be committed. */
export const secretSourceSchema = z.union(
  [
    /** An environment variable of the shell running multiarch: `{ env: 'NPM_TOKEN' }`. */
    z.strictObject({ env: nonEmpty('env') }),
    /** A file, relative to the config file: `{ file: './secrets/token' }`. */
    z.strictObject({ file: nonEmpty('file') }),
  ],
  { error: 'expected { env: "NAME" } or { file: "./path" }' },
);

/** `['default']` forwards the agent at SSH_AUTH_SOCK; `{ default: { socket: '/path/agent.sock' } }` another one. */
export const sshSchema = z.union(
  [z.array(secretIdSchema), z.record(secretIdSchema, z.strictObject({ socket: nonEmpty('socket').optional() }))],
  { error: 'expected ["default"] or { default: { socket: "/path/to/agent.sock" } }' },
);

const annotationMap = z.record(z.string().min(1), z.string());

/** Flat: on the index and on every platform manifest; or placed: `{ index: {…}, manifest: {…} }`. */
export const annotationsSchema = z.union([
  z.strictObject({ index: annotationMap.optional(), manifest: annotationMap.optional() }),
  annotationMap,
]);

export const imageSchema = z.strictObject({
  /** Build context directory, relative to the config file. */
  context: nonEmpty('context'),
  /** Dockerfile, relative to the context. Default `Dockerfile`. */
  dockerfile: nonEmpty('dockerfile').optional(),
  platforms: z
    .array(z.string() as z.ZodType<PlatformName, PlatformName>)
    .min(1, { error: 'list at least one platform, e.g. ["linux/amd64", "linux/arm64"]' }),
  /** Build args; `ref('base')` becomes base's digest for the platform being built. */
  args: z.record(z.string(), z.union([z.string(), imageRefSchema])).optional(),
  /** Multi-stage target. */
  target: z.string().optional(),
  /** The image's tags, or `gitTags({ … })`: tags from git, resolved at plan time. */
  tags: z.union([
    z.array(nonEmpty('tag')).min(1, { error: 'list at least one tag, e.g. ["v1"]' }),
    z.custom<GitTagsRule>(isGitTagsRule, { error: 'expected a list of tags or gitTags({ … })' }),
  ]),
  /** Extra image labels, added to the OCI labels multiarch sets from git. */
  labels: z.record(z.string(), z.string()).optional(),
  test: testSchema.optional(),
  publish: z.array(publishSchema).optional(),
  /**
   * Runs on the host before each platform's build, in the context directory (zx's `$`), e.g.
   * `async ({ $, platform }) => { await $\`GOOS=${platform.os} GOARCH=${platform.arch} go build -o dist/${platform.arch}/app\` }`.
   */
  prepare: prepareSchema.optional(),
  /** Overrides the top-level `scan` for this image; its exceptions add to the top-level ones. */
  scan: imageScanSchema.optional(),
  /** Overrides the top-level `attest` for this image, field by field (`false` turns one off). */
  attest: attestSchema.optional(),
  /**
   * Layer cache: automatic unless `false` (the image last published for each platform is the
   * source). `{ from, to }` adds dedicated sources/targets: `{ registry, repository, tag? }`,
   * `{ type: 'local', dir }`, `{ type: 'gha', scope? }` (buildx), `{ mode: 'min' | 'max' }`.
   */
  cache: cacheSchema.optional(),
  /** How the image is made (docs/direct-builds.md). */
  build: buildSchema.optional(),
  /**
   * BuildKit secrets, by the id the Dockerfile mounts (`RUN --mount=type=secret,id=npm`):
   * `{ npm: { env: 'NPM_TOKEN' } }`. Values never reach the plan, output, image or cache.
   */
  secrets: z.record(secretIdSchema, secretSourceSchema).optional(),
  /** SSH agents forwarded to `RUN --mount=type=ssh` (`docker build --ssh`). */
  ssh: sshSchema.optional(),
  /** OCI annotations on the index and each platform manifest, or `{ index, manifest }` separately. */
  annotations: annotationsSchema.optional(),
});

export const configSchema = z.strictObject({
  registries: z.record(z.string(), registrySchema).optional(),
  /** Vulnerability gate before anything is pushed (docs/scanning.md). */
  scan: scanSchema.optional(),
  /** Sign every digest multiarch writes (docs/supply-chain.md): `{ key: { file: './cosign.key' } }`. */
  sign: signSchema.optional(),
  /** Attestations on every platform image: `{ provenance: true, sbom: true }` (needs `sign`). */
  attest: attestSchema.optional(),
  images: z.record(z.string(), imageSchema),
  /** The engine per platform (`'linux/arm64'`) or for every other one (`default`). */
  builders: z.partialRecord(z.string() as z.ZodType<PlatformName | 'default', PlatformName | 'default'>, builderSchema).optional(),
  /** Where multiarch keeps its cache, history and export cache (relative to the config); default: the user cache directory (docs/incremental.md). */
  cacheDir: nonEmpty('cacheDir').optional(),
});

export type UserConfig = z.input<typeof configSchema>;
export type UserImage = z.input<typeof imageSchema>;
export type UserPublish = z.input<typeof publishSchema>;
export type UserRegistry = z.input<typeof registrySchema>;
export type UserTest = z.input<typeof testSchema>;
export type UserBuilder = z.input<typeof builderSchema>;
export type UserPrepare = z.input<typeof prepareSchema>;
export type UserSecret = z.input<typeof secretSourceSchema>;
export type { UserImageScan, UserScan } from './scan.js';
export type { UserAttest, UserSign } from './supply-chain.js';
export type { UserCache } from './cache.js';
