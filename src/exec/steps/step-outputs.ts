/**
 * What steps hand each other (ctx.outputOf): a build's image, a push's manifest, an index's
 * digest. Each step's adapters are its own (a `…Deps` interface next to it).
 */
import type { Platform } from '../../config/platform.js';
import type { TargetSpec } from '../../plan/nodes.js';
import type { InputsDetail, PublishedImage } from '../../plan/incremental/types.js';
import { MultiarchError } from '../../errors/multiarch-error.js';

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
  /** Assembled without an engine: the image is in the blob store (and ImageExports), not on an engine. */
  readonly assembled?: boolean;
  readonly inputs?: RecordedInputs;
  /** Its layers' diff ids, as the engine told them (what its export matches its bases' layers by). */
  readonly diffIds?: readonly string[];
  /** The registry images it was built on: its recorded bases and the `ref()` bases this run pushed. */
  readonly bases?: readonly ImageBase[];
}

/** A base image as a registry holds it: `ref` pulled for `platform` (`linux/arm64`) is `digest`. */
export interface ImageBase {
  readonly ref: string;
  readonly platform: string;
  readonly digest: string;
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
