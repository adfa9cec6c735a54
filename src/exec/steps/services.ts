/** What the steps use to do real work: the adapters, created once per run by the CLI. */
import type { Builder } from '../../builders/builder.js';
import type { Platform } from '../../config/platform.js';
import type { DockerClient } from '../../docker/client.js';
import type { BlobStore } from '../../image/blob-store.js';
import type { ExportedImage } from '../../image/export-image.js';
import type { TargetSpec } from '../../plan/nodes.js';
import type { StorePool } from '../../publish/store-pool.js';
import type { RegistryPool } from '../../registry/pool.js';

export interface StepServices {
  readonly builder: Builder;
  /** The client that runs containers and exports images (the builder's own). */
  readonly docker: DockerClient;
  readonly store: BlobStore;
  readonly registries: RegistryPool;
  /** Publish targets (registries and OCI layouts) as content stores, over `registries`. */
  readonly stores: StorePool;
  /** Exports in flight or done this run, so two pushes of one image export it once. */
  readonly exports: Map<string, Promise<ExportedImage>>;
}

export interface BuildOutput {
  readonly imageId: string;
  readonly platform: Platform;
}

export interface PushOutput {
  readonly digest: string;
  readonly size: number;
  readonly mediaType: string;
  readonly platform: Platform;
  /** Where it was written first: a fan-out copy to another target reads it from here. */
  readonly location: { readonly target: TargetSpec; readonly repository: string };
}

export interface IndexOutput {
  readonly digest: string;
}
