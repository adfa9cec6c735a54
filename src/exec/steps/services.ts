/** What the steps use to do real work: the adapters, created once per run by the CLI. */
import type { Builder } from '../../builders/builder.js';
import type { Platform } from '../../config/platform.js';
import type { DockerClient } from '../../docker/client.js';
import type { BlobStore } from '../../image/blob-store.js';
import type { ExportedImage } from '../../image/export-image.js';
import type { RegistryPool } from '../../registry/pool.js';
import type { ScanServices } from '../../scanners/scan-services.js';

export interface StepServices {
  readonly builder: Builder;
  /** The client that runs containers and exports images (the builder's own). */
  readonly docker: DockerClient;
  readonly store: BlobStore;
  readonly registries: RegistryPool;
  /** Exports in flight or done this run, so two pushes of one image export it once. */
  readonly exports: Map<string, Promise<ExportedImage>>;
  /** Present when the plan scans: scanners, scan cache and the run's scan records. */
  readonly scans?: ScanServices;
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
}

export interface IndexOutput {
  readonly digest: string;
}
