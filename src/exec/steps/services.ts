/** What the steps use to do real work: the adapters, created once per run by the CLI. */
import type { Platform } from '../../config/platform.js';
import type { ResolvedPrepare } from '../../config/prepare.js';
import type { EnginePool } from '../../docker/engine-pool.js';
import type { BlobStore } from '../../image/blob-store.js';
import type { ExportedImage } from '../../image/export-image.js';
import type { BackgroundWork } from '../background.js';
import type { TargetSpec } from '../../plan/nodes.js';
import type { InputsDetail, PublishedImage } from '../../plan/incremental/types.js';
import { MultiarchError } from '../../errors/multiarch-error.js';
import type { StorePool } from '../../publish/store-pool.js';
import type { RegistryPool } from '../../registry/pool.js';
import type { ScanServices } from '../../scanners/scan-services.js';

export interface StepServices {
  /**
   * The engine of each builder: it builds, then runs the tests of and exports what it built (an
   * image stays on the engine that built it; find it through BuildOutput.builder).
   */
  readonly engines: EnginePool;
  /** The image's prepare step from the loaded config (a plan cannot hold functions). */
  readonly prepares: (image: string) => ResolvedPrepare | undefined;
  readonly store: BlobStore;
  readonly registries: RegistryPool;
  /** Publish targets (registries and OCI layouts) as content stores, over `registries`. */
  readonly stores: StorePool;
  /** Exports in flight or done this run, so two pushes of one image export it once. */
  readonly exports: Map<string, Promise<ExportedImage>>;
  /** Clean-up the steps need not wait for (test containers); the run settles it before it ends. */
  readonly background: BackgroundWork;
  /** ECR repositories created (or found there) this run, by `host/repository`: each is created once. */
  readonly repositories: Map<string, Promise<'created' | 'existed'>>;
  /** Present when the plan scans: scanners, scan cache and the run's scan records. */
  readonly scans?: ScanServices;
}

/** The inputs an image records where it is published (digest, and its components). */
export interface RecordedInputs {
  readonly digest: string;
  readonly detail: InputsDetail;
}

/** A build's result: the image on its builder's engine, or the published image the plan reuses. */
export type BuildOutput = BuiltImage | ReusedImage;

export interface BuiltImage {
  readonly imageId: string;
  readonly platform: Platform;
  /** The builder whose engine holds the image. */
  readonly builder: string;
  /** Assembled without an engine: the image is in the blob store (and `exports`), not on the engine. */
  readonly assembled?: boolean;
  readonly inputs?: RecordedInputs;
}

export interface ReusedImage {
  readonly reused: PublishedImage;
  readonly platform: Platform;
  readonly builder: string;
  readonly inputs: RecordedInputs;
}

/** The image a build put on its engine; a step that needs one only runs after a build that ran. */
export function builtImage(output: BuildOutput, by: string): BuiltImage {
  if ('imageId' in output) return output;
  throw new MultiarchError('E_INTERNAL', `${by} needs the built image, but the plan reuses ${output.reused.ref}`);
}

export interface PushOutput {
  readonly digest: string;
  readonly size: number;
  readonly mediaType: string;
  readonly platform: Platform;
  /** Where it was written first: a fan-out copy to another target reads it from here. */
  readonly location: { readonly target: TargetSpec; readonly repository: string };
  /** The inputs digest it records, when the plan records inputs: its index child's annotation. */
  readonly inputs?: string;
}

export interface IndexOutput {
  readonly digest: string;
}
