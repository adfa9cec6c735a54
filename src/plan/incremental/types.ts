/**
 * Incremental planning: the facts the shell gathers (what each build's inputs are, what the
 * registries hold) and the changes the planner derives from them (per image and platform, per
 * push, per index). Plain JSON, saved with the plan so `apply plan.json` can tell whether the
 * world moved since. Pure types.
 */
/** The label / annotation key that records an image's inputs digest where it is published. */
export const INPUTS_LABEL = 'dev.multiarch.inputs';
/** The label holding the inputs' components (InputsDetail as JSON), for naming what changed. */
export const INPUTS_DETAIL_LABEL = 'dev.multiarch.inputs.detail';

export interface InputsFacts {
  readonly builder: 'buildx' | 'buildkit' | 'legacy';
  /** Per image: its context as the build sees it, and its Dockerfile. */
  readonly images: Readonly<Record<string, ImageInputs>>;
  /** Per build node: the external base images it pulls, resolved for their platform. */
  readonly bases: Readonly<Record<string, readonly ResolvedBase[]>>;
}

export interface ImageInputs {
  /** `sha256:…` over the context entries the build can see. */
  readonly context: string;
  readonly dockerfile: string;
  /** path → entry fingerprint, for naming changed files (dropped from saved plans). */
  readonly files?: Readonly<Record<string, string>>;
  /**
   * Why the digest covers the whole context, when the Dockerfile does not tell which files the
   * build reads; absent when it covers only the files the Dockerfile's COPY/ADD/RUN --mount read.
   */
  readonly whole?: string;
  /** `ADD <url>` sources: read at build time, not part of the digest. */
  readonly notHashable?: readonly string[];
}

export interface ResolvedBase {
  /** As the Dockerfile names it, args substituted. */
  readonly ref: string;
  readonly platform: string;
  /** The platform image's digest, or undefined when it could not be resolved. */
  readonly digest?: string;
  /** Why not, when not: offline and never resolved here, or not in its registry (a local image?). */
  readonly problem?: string;
}

/** The components of an inputs digest; stored as a label so any machine can say what changed. */
export interface InputsDetail {
  readonly platform: string;
  readonly builder: string;
  readonly context: string;
  readonly dockerfile: string;
  readonly target: string | null;
  /** Arg name → short sha256 of its value, or `ref:<image>@<inputs digest>` for ref() args. */
  readonly args: Readonly<Record<string, string>>;
  /** `<ref> <platform>` → digest. */
  readonly bases: Readonly<Record<string, string>>;
  /** Label name → short sha256 of its value (labels from git are not inputs). */
  readonly labels: Readonly<Record<string, string>>;
  /** The prepare step's source fingerprint, when the image has one (its outputs are not hashed). */
  readonly prepare?: string;
  /**
   * Build secret ids and SSH agent ids, when there are any: never their values (as BuildKit's cache
   * keys), so rotating a token rebuilds nothing while adding or removing a secret does.
   */
  readonly secrets?: readonly string[];
  readonly ssh?: readonly string[];
}

export interface TagState {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  /** A platform image's recorded inputs digest, when known. */
  readonly inputs?: string;
  /** An index's children. */
  readonly children?: readonly IndexChildState[];
  /** An index's own annotations, when read. */
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface IndexChildState {
  readonly platform: string;
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  readonly inputs?: string;
}

/**
 * What one node wrote, reported in its result so the run summary says it and the state store can
 * keep it (the next plan then knows it without reading it back).
 */
export interface WrittenRecord {
  /** `host/repo:tag` → what it holds now. */
  readonly tags: Readonly<Record<string, TagState>>;
  /** A platform image: the inputs digest it records, and their components. */
  readonly image?: { readonly digest: string; readonly inputs: string; readonly detail: InputsDetail };
  /** An index: its children. */
  readonly index?: { readonly digest: string; readonly children: readonly IndexChildState[] };
}

export interface RegistryFacts {
  /** `registry`: read just now; `local`: --offline, what this machine last saw. */
  readonly source: 'registry' | 'local';
  /** `host/repo:tag` → its state; null when the tag does not exist; absent when unknown. */
  readonly tags: Readonly<Record<string, TagState | null>>;
  /** `host/repo@digest` → whether that repository holds the manifest. */
  readonly manifests: Readonly<Record<string, boolean>>;
  /** Recorded inputs details by inputs digest (from labels or the local cache). */
  readonly details: Readonly<Record<string, InputsDetail>>;
  /** Earlier context file lists by context digest (local cache only). */
  readonly files: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * Per image whose index tags do not exist yet (a tag per commit or per release): the index it
   * published under an earlier tag, the layer cache's automatic source. Absent when none was found.
   */
  readonly previous?: Readonly<Record<string, PreviousIndex>>;
}

/** An index an image published under an earlier tag. */
export interface PreviousIndex {
  /** `host/repo:tag` it was found under. */
  readonly ref: string;
  /** Where that tag came from: `tag sha-1a2b3c4 of commit 1a2b3c4d5e6f`, `last seen on this machine`. */
  readonly from: string;
  readonly children: readonly IndexChildState[];
}

export interface IncrementalFacts {
  readonly inputs: InputsFacts;
  readonly registry: RegistryFacts;
  /** `--force`: every image (true) or these. */
  readonly force?: true | readonly string[];
}

export type PlatformAction = 'create' | 'rebuild' | 'up-to-date' | 'copy' | 'retag';

export interface PublishedImage {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  /** Where it was seen: `host/repo:tag`, on the config's registry `target` (at `host`), in `repository`. */
  readonly ref: string;
  readonly target: string;
  readonly host: string;
  readonly repository: string;
}

export interface PlatformChange {
  readonly image: string;
  readonly platform: string;
  readonly action: PlatformAction;
  readonly inputs: string;
  readonly detail: InputsDetail;
  /** Why it is built: names of files, args, base images. Empty unless create/rebuild. */
  readonly reasons: readonly string[];
  /** The published image that already has these inputs, when nothing is built. */
  readonly current?: PublishedImage;
}

export type PushAction = 'push' | 'skip' | 'copy' | 'retag';

export interface PushChange {
  readonly action: PushAction;
  /**
   * copy/retag: where the manifest already is (`ref` is `host/repo@digest`; `target` the config's
   * name of that registry, whose connection details any push node to it carries).
   */
  readonly from?: { readonly ref: string; readonly target: string; readonly repository: string; readonly digest: string };
  /** `host/repo:tag` refs this push writes (all of them for a push; the stale ones otherwise). */
  readonly write: readonly string[];
  /** Repositories (of the target) that must receive the manifest by digest. */
  readonly digestRepositories: readonly string[];
}

export type IndexAction = 'create' | 'update' | 'unchanged';

export interface IndexChange {
  readonly action: IndexAction;
  readonly ref: string;
  /** What differs from the index the tag holds now. */
  readonly children: ReadonlyArray<{ readonly platform: string; readonly change: 'added' | 'removed' | 'changed' | 'rebuilt' }>;
  readonly current?: string;
}

export interface PlanSummary {
  readonly build: number;
  readonly push: number;
  readonly indexCreate: number;
  readonly indexUpdate: number;
  /** Nodes apply skips (builds, tests, pushes and indexes already current). */
  readonly unchanged: number;
}

/** What a saved plan was made from; apply compares it with a fresh look. */
export interface PlanFingerprint {
  /** Build node id → inputs digest. */
  readonly inputs: Readonly<Record<string, string>>;
  /** `host/repo:tag` → digest, or null when missing. */
  readonly tags: Readonly<Record<string, string | null>>;
}

export interface PlanChanges {
  readonly source: RegistryFacts['source'];
  readonly platforms: Readonly<Record<string, PlatformChange>>;
  readonly pushes: Readonly<Record<string, PushChange>>;
  readonly indexes: Readonly<Record<string, IndexChange>>;
  readonly summary: PlanSummary;
  readonly fingerprint: PlanFingerprint;
}
