/** The config after validation and defaults: what the planner consumes. Plain data but for templates. */
import type { ResolvedCache } from './cache.js';
import type { ResolvedBuilders } from './builders.js';
import type { EcrRepositoryPolicy } from './ecr-repositories.js';
import type { GitTagsOptions } from './git-tags.js';
import type { Platform } from './platform.js';
import type { ResolvedPrepare } from './prepare.js';
import type { ImageRef } from './ref.js';
import type { RegistryAddress } from './registry-url.js';
import type { ResolvedScan } from './scan.js';
import type { ResolvedAttest, ResolvedSign } from './supply-chain.js';
import type { Template } from './template.js';

export interface ResolvedRegistry extends RegistryAddress {
  readonly name: string;
  readonly url: string;
  readonly insecure: boolean;
  /** An OCI image layout directory (absolute) instead of a registry server: `url: 'oci:./dir'`. */
  readonly layout?: string;
  /** Credentials from AWS instead of Docker's config. */
  readonly ecr?: EcrAuth;
  /** `ecr`: its repositories are checked before planning, and created when missing if it says so. */
  readonly repositories?: EcrRepositoryPolicy;
}

export interface EcrAuth {
  readonly region: string;
  readonly profile?: string;
}

export type ManifestFormat = 'oci' | 'docker';

export interface ResolvedPublish {
  /** Index into the image's `publish` list, for error paths. */
  readonly index: number;
  readonly registry: string;
  readonly repository: string;
  readonly platformRepository: Template;
  /** `false`: platform images are pushed by digest only (no per-platform tags). */
  readonly platformTag: Template | false;
  readonly indexTag: Template;
  readonly format: ManifestFormat;
  /** The image tags this target gets (all of the image's when the config names none). */
  readonly tags: readonly string[];
  /** The config names none: with a gitTags() rule, all of the tags it resolves to. */
  readonly allTags?: true;
}

export interface ResolvedHttpProbe {
  readonly port: number;
  readonly path: string;
  readonly expectStatus: number;
  readonly timeoutSeconds: number;
}

export interface ResolvedTest {
  readonly command?: readonly string[];
  readonly expectOutput?: string;
  readonly http?: ResolvedHttpProbe;
  readonly timeoutSeconds: number;
}

export interface ResolvedImage {
  readonly name: string;
  /** Absolute path of the build context. */
  readonly context: string;
  /** Absolute path of the Dockerfile. */
  readonly dockerfile: string;
  readonly platforms: readonly Platform[];
  readonly args: Readonly<Record<string, string | ImageRef>>;
  readonly target?: string;
  /** Empty until a `gitTags()` rule is resolved at plan time (resolveImageTags). */
  readonly tags: readonly string[];
  /** `tags: gitTags({ … })`: the rule, until the shell resolves it against git. */
  readonly tagRule?: GitTagsOptions;
  readonly labels: Readonly<Record<string, string>>;
  readonly test?: ResolvedTest;
  readonly publish: readonly ResolvedPublish[];
  /** Host-side step before each platform's build. */
  readonly prepare?: ResolvedPrepare;
  /** Absent when the image is not scanned. */
  readonly scan?: ResolvedScan;
  /** Attestations on each platform image; absent when none. */
  readonly attest?: ResolvedAttest;
  /** Layer cache settings; absent: automatic (the same as AUTOMATIC_CACHE). */
  readonly cache?: ResolvedCache;
  /** `build.engine` when not `auto` (the default): always Docker, or always assembled directly. */
  readonly engine?: 'docker' | 'direct';
  /** BuildKit secrets by id: where each value comes from (never the value). */
  readonly secrets: Readonly<Record<string, SecretSource>>;
  /** SSH agents by id (`default`); no socket: SSH_AUTH_SOCK. */
  readonly ssh: Readonly<Record<string, SshSource>>;
  /** OCI annotations for the index and for each platform manifest. */
  readonly annotations: ResolvedAnnotations;
}

/** A build secret's source: an env var name, or an absolute file path. */
export type SecretSource = { readonly env: string } | { readonly file: string };

export interface SshSource {
  readonly socket?: string;
}

export interface ResolvedAnnotations {
  readonly index: Readonly<Record<string, string>>;
  readonly manifest: Readonly<Record<string, string>>;
}

export interface ResolvedConfig {
  /** Absolute path of the config file. */
  readonly file: string;
  /** Its directory: where relative paths start. */
  readonly dir: string;
  /** The config's `cacheDir`, absolute; absent: MULTIARCH_CACHE_DIR or the user cache directory. */
  readonly cacheDir?: string;
  readonly registries: Readonly<Record<string, ResolvedRegistry>>;
  readonly images: Readonly<Record<string, ResolvedImage>>;
  /** The engine per platform; everything on the ambient engine when the config has no `builders`. */
  readonly builders: ResolvedBuilders;
  /** Where the signing key is; absent when nothing is signed. */
  readonly sign?: ResolvedSign;
}

export const DEFAULT_PLATFORM_TAG = '{tag}-{platform}';
export const DEFAULT_INDEX_TAG = '{tag}';
export const DEFAULT_TEST_TIMEOUT_SECONDS = 120;
export const DEFAULT_HTTP_TIMEOUT_SECONDS = 60;
