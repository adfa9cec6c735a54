/**
 * The typed nodes of a plan. A plan is plain JSON: everything a step needs is rendered here
 * (names, paths, args), so a saved plan can be shown, diffed and applied without the config.
 */
import type { ResolvedBuilder } from '../config/builders.js';
import type { BuildCache } from './cache-plan.js';
import type { Platform } from '../config/platform.js';
import type { ManifestFormat, SecretSource, SshSource } from '../config/resolved.js';
import type { EcrRepositoryPolicy, EcrRepositorySettings } from '../config/ecr-repositories.js';
import type { SbomFormat } from '../config/supply-chain.js';
import type { DockerfileFact } from './build-path.js';
import type { IncrementalFacts, InputsDetail, PlanChanges, PublishedImage } from './incremental/types.js';
import type { PrepareNode } from './prepare-node.js';
import type { ScanFacts, ScanNode } from './scan-node.js';

export type { PrepareNode } from './prepare-node.js';
export type { RunAction } from './run-action.js';
import type { RunAction } from './run-action.js';
export type { ScanNode } from './scan-node.js';

export type NodeKind = 'prepare' | 'build' | 'test' | 'scan' | 'push' | 'index';

/*
 * What apply does with each node is decided here, in the plan, and carried out by the node's step
 * as it stands: a step never asks whether its node was planned as changed.
 */


/**
 * `build`: build it; with `record`, the image's inputs labels are finished at run time (a `ref()`
 * base's digest is only known once it is pushed). `reuse`: the published image already has these
 * inputs; nothing is built.
 */
export type BuildAction =
  | { readonly type: 'build'; readonly record?: { readonly detail: InputsDetail } }
  | { readonly type: 'reuse'; readonly published: PublishedImage; readonly inputs: { readonly digest: string; readonly detail: InputsDetail }; readonly why: string };

/**
 * `push`: export (or copy, `copyFrom`) and write every name. For a reused image: `skip` (every
 * name holds it), or `copy`/`retag` it from where it is published onto the names in `write`.
 */
export type PushAction =
  | { readonly type: 'push' }
  | { readonly type: 'skip'; readonly published: PublishedImage }
  | {
      readonly type: 'copy' | 'retag';
      readonly published: PublishedImage;
      readonly from: { readonly ref: string; readonly target: TargetSpec; readonly repository: string; readonly digest: string };
      readonly write: ReadonlyArray<{ readonly repository: string; readonly tag: string }>;
      readonly digestRepositories: readonly string[];
    };

/** `write`: the index (and its tag); `skip`: the tag already holds an index of these children. */
export type IndexAction = { readonly type: 'write' } | { readonly type: 'skip'; readonly current: string };

/** A registry as a step needs it: where to connect and how to name things there. */
export interface TargetSpec {
  /** The config's name for it (`hub`, `local`). */
  readonly name: string;
  /** As written in image references: `docker.io`, `127.0.0.1:5000`. */
  readonly host: string;
  readonly apiHost: string;
  readonly authKey: string;
  readonly scheme: 'http' | 'https';
  readonly isDockerHub: boolean;
  /** An OCI image layout directory (absolute): the target is files, not a registry server. */
  readonly layout?: string;
  /** Credentials from AWS ECR (helper or `aws ecr get-login-password`) instead of Docker's config. */
  readonly ecr?: { readonly region: string; readonly profile?: string };
  /** `registries.<name>.ecr`: an ECR registry whose repositories are checked, and created if it says so. */
  readonly repositories?: EcrRepositoryPolicy;
}

/**
 * An ECR repository apply creates before this node writes into it (once per run, whichever node
 * gets there first). `checked: false`: the facts could not tell whether it exists; creating one
 * that does is not an error.
 */
export interface RepositoryCreation {
  readonly repository: string;
  readonly account: string;
  readonly region: string;
  readonly profile?: string;
  readonly settings: EcrRepositorySettings;
  readonly checked: boolean;
}

interface NodeBase {
  readonly id: string;
  readonly kind: NodeKind;
  readonly image: string;
  readonly deps: readonly string[];
}

/** A build arg taken from the platform image another node publishes (`ref('base')`). */
export interface RefArg {
  readonly ref: {
    readonly image: string;
    /** The push node whose digest this arg becomes. */
    readonly node: string;
    /** `127.0.0.1:5000/team/base`: the arg is this plus `@sha256:…`. */
    readonly repository: string;
    /**
     * In a shard: the base's tag on the builder's engine, where the shard built it — used instead
     * of the registry, which a shard never writes.
     */
    readonly local?: string;
  };
}

export type BuildArg = string | RefArg;

export interface BuildNode extends NodeBase {
  readonly kind: 'build';
  readonly platform: Platform;
  readonly context: string;
  readonly dockerfile: string;
  readonly args: Readonly<Record<string, BuildArg>>;
  readonly target?: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Tag on the builder's engine, so people can `docker run` what was built. */
  readonly localTag: string;
  /** The builder (a key of `Plan.builders`) whose engine builds this, and then holds the image. */
  readonly builder: string;
  /** How the engine runs this platform, when its engine was reached. */
  readonly runs?: 'native' | 'emulated' | 'no-emulator';
  /** Layer cache it reads and writes (plan/cache-plan.ts); absent: none. */
  readonly cache?: BuildCache;
  /** BuildKit secrets by id: where the value comes from (an env var name or a file), never the value. */
  readonly secrets?: Readonly<Record<string, SecretSource>>;
  /** SSH agents forwarded by id (`--ssh default[=socket]`). */
  readonly ssh?: Readonly<Record<string, SshSource>>;
  /**
   * Assembled without an engine (docs/direct-builds.md): `epoch` is every file's mtime and the
   * config's `created`. Absent: the builder's engine builds it.
   */
  readonly direct?: { readonly epoch: number };
  /** Built by the engine although assembly was possible or tried: the instruction that forced it. */
  readonly engineReason?: string;
  /**
   * multiarch's own directories inside the context (OCI layout targets, a cache directory put
   * there), context-relative: the engine is not sent them — the build's ignore rules are the
   * user's plus these, in a Dockerfile-specific ignore file; the user's file is left as is.
   */
  readonly ignore?: readonly string[];
  readonly action: BuildAction;
}

export interface TestNode extends NodeBase {
  readonly kind: 'test';
  readonly platform: Platform;
  readonly build: string;
  readonly command?: readonly string[];
  /** Already rendered for this platform (`{uname}` → `aarch64`). */
  readonly expectOutput?: string;
  readonly http?: { readonly port: number; readonly path: string; readonly expectStatus: number; readonly timeoutSeconds: number };
  readonly timeoutSeconds: number;
  /** The build's builder: the image is run where it was built. */
  readonly builder: string;
  readonly runs?: BuildNode['runs'];
  readonly action: RunAction;
}

export interface PushNode extends NodeBase {
  readonly kind: 'push';
  readonly platform: Platform;
  readonly build: string;
  readonly target: TargetSpec;
  readonly format: ManifestFormat;
  /** repository:tag pairs this platform image is written to. */
  readonly refs: ReadonlyArray<{ readonly repository: string; readonly tag: string }>;
  /**
   * Repositories that must hold this manifest by digest, untagged: an index in another repository
   * can only list children that exist in its own repository.
   */
  readonly digestRepositories: readonly string[];
  /**
   * Fan-out: the push (same image and platform, another target) whose manifest and blobs this one
   * copies registry-to-registry (mounting where it is the same registry) instead of exporting the
   * image from the engine again. Absent for the first target, which gets the engine's export.
   */
  readonly copyFrom?: string;
  /**
   * `apply --merge`: the platform image was built, tested and scanned by a shard run and is read
   * from its OCI layout (`layout`, at `repository`@`digest`) instead of an engine.
   */
  readonly fromShard?: {
    readonly layout: string;
    readonly repository: string;
    readonly digest: string;
    /** Predicate type → the blob (in the layout, at `repository`) holding the predicate the shard made. */
    readonly predicates?: Readonly<Record<string, string>>;
  };
  /** OCI annotations written on this platform manifest (`annotations.manifest`). */
  readonly annotations?: Readonly<Record<string, string>>;
  readonly action: PushAction;
  /** Sign the pushed digest (cosign layout) with the key whose public key has this id. */
  readonly sign?: SignSpec;
  /**
   * Attestations (DSSE, in-toto) on the pushed digest, signed with `sign`. Without `sign` (a shard
   * holds no key) the predicates are made and stored next to the image, for the merge to sign.
   */
  readonly attest?: { readonly provenance: boolean; readonly sbom?: SbomFormat };
  /** ECR repositories created before anything is written (plan/ecr-repositories.ts). */
  readonly createRepositories?: readonly RepositoryCreation[];
}

/** Which key signs: named by its public key's sha256, never the key itself. */
export interface SignSpec {
  readonly keyId: string;
}

export interface IndexNode extends NodeBase {
  readonly kind: 'index';
  readonly tag: string;
  readonly target: TargetSpec;
  readonly format: ManifestFormat;
  readonly repository: string;
  readonly indexTag: string;
  /** One per platform, in the config's platform order. */
  readonly children: ReadonlyArray<{ readonly platform: Platform; readonly push: string; readonly annotations?: Readonly<Record<string, string>> }>;
  readonly annotations: Readonly<Record<string, string>>;
  /** Sign the index's digest; the read-back verification then checks every signature of the index and its children. */
  readonly sign?: SignSpec;
  readonly action: IndexAction;
  /** ECR repositories created before the index is written (plan/ecr-repositories.ts). */
  readonly createRepositories?: readonly RepositoryCreation[];
}

export type PlanNode = PrepareNode | BuildNode | TestNode | ScanNode | PushNode | IndexNode;

export type NodeOfKind<K extends NodeKind> = Extract<PlanNode, { kind: K }>;

/** Why something the config describes is not in this plan (selectors, partial platform sets). */
export interface PlanNote {
  readonly image: string;
  readonly message: string;
}

export interface Plan {
  readonly version: 1;
  readonly configFile: string;
  /** Node ids in a dependency order (every node after its deps). */
  readonly order: readonly string[];
  readonly nodes: Readonly<Record<string, PlanNode>>;
  readonly notes: readonly PlanNote[];
  /** The builders this plan's builds run on, by name (`default`, `linux/arm64`). */
  readonly builders: Readonly<Record<string, ResolvedBuilder>>;
  readonly facts: PlanFacts;
  /** What apply changes and skips, when the plan was made from inputs and registry state. */
  readonly changes?: PlanChanges;
}

/** What the shell observed before planning; plans are a pure function of config + facts. */
export interface PlanFacts extends ScanFacts {
  /** The docker client this machine builds with, and the ambient (local) engine. */
  readonly builder?: BuilderFacts;
  /** Each probed builder's engine, by builder name; ambient builders fall back to `builder`. */
  readonly engines?: Readonly<Record<string, EngineFacts>>;
  readonly git?: { readonly revision?: string; readonly source?: string; readonly created?: string };
  /** Each selected image's Dockerfile: can multiarch assemble it without an engine (build-path.ts). */
  readonly dockerfiles?: Readonly<Record<string, DockerfileFact>>;
  /** Inputs and registry state for an incremental plan (consumed by createPlan, not kept in it). */
  readonly incremental?: IncrementalFacts;
  /** What the shell's own looks found worth saying (--since, multiarch's directories in a context). */
  readonly notes?: readonly PlanNote[];
  /** By image: multiarch's own directories its context would send the engine (context-relative). */
  readonly ownDirs?: Readonly<Record<string, readonly string[]>>;
  /** The signing key's id and what the registries already hold signed by it (`host/repo@digest`). */
  readonly signing?: SigningFacts;
  /** By target name: which of the repositories this plan writes are missing on an ECR registry with `ecr`. */
  readonly repositories?: Readonly<Record<string, RepositoryFacts>>;
}

/** DescribeRepositories' answer for the repositories a target's nodes write, or why it could not be asked. */
export type RepositoryFacts = { readonly read: true; readonly missing: readonly string[] } | { readonly read: false; readonly problem: string };

export interface SigningFacts {
  readonly keyId: string;
  /** `host/repo@digest` → verified by this key: signed, and which predicate types are attested. */
  readonly held?: Readonly<Record<string, { readonly signed: boolean; readonly predicates: readonly string[] }>>;
}

/** How images are built: buildx, classic BuildKit (DOCKER_BUILDKIT=1) or the legacy builder. */
export type BuilderKind = 'buildx' | 'buildkit' | 'legacy';

export interface BuilderFacts {
  readonly kind: BuilderKind;
  readonly description: string;
  /** The engine's own platform: builds for it are native. */
  readonly nativePlatform: string;
  /** Architectures the engine can run through binfmt_misc (QEMU), as `uname -m` names. */
  readonly emulated: readonly string[];
}

/** What the shell saw of a builder's engine (`docker version` through its host or context). */
export type EngineFacts =
  | {
      readonly reachable: true;
      readonly version?: string;
      /** The engine's own platform: builds for it are native. */
      readonly nativePlatform: string;
      /** Emulated arches (`uname -m` names); absent when they cannot be seen (a remote kernel). */
      readonly emulated?: readonly string[];
      /** The DOCKER_HOST it was reached at, when known (a context's own host). */
      readonly host?: string;
    }
  | { readonly reachable: false; readonly problem: string };
