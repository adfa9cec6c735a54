/**
 * The port every publish target implements: a registry (one client, many repositories) or an OCI
 * image layout directory. Publishing, fan-out copies and index verification are written against
 * it, so a layout and a registry get exactly the same order and checks.
 */
import type { Descriptor } from '../image/descriptor.js';
import type { ManifestDocument } from '../image/manifest.js';

/** Bytes of one blob, readable from any offset as often as needed (retries, resumed chunks). */
export interface BlobSource {
  readonly digest: string;
  readonly size: number;
  open(start: number, end: number, signal?: AbortSignal): AsyncIterable<Uint8Array>;
  /** A registry repository known to hold the blob (a base's layer): mounted from when it is the target's registry. */
  readonly heldBy?: { readonly store: ContentStore; readonly repository: string };
}

export type BlobOutcome = 'skipped' | 'mounted' | 'uploaded';

export interface PutBlobOptions {
  readonly signal?: AbortSignal;
  /** Repositories of this same store known to hold the blob (the copy's source): mount from them. */
  readonly mountFrom?: readonly string[];
}

export interface ContentStore {
  /** `127.0.0.1:5000`, `oci:/abs/dir`: for messages and refs. */
  readonly host: string;
  readonly kind: 'registry' | 'layout';
  hasBlob(repo: string, digest: string, signal?: AbortSignal): Promise<boolean>;
  /** Makes `repo` hold the blob: nothing when it has it, a mount when possible, else the bytes. */
  putBlob(repo: string, source: BlobSource, options?: PutBlobOptions): Promise<BlobOutcome>;
  /** The blob's bytes, for copying to another store; the reader checks the digest. */
  readBlob(repo: string, digest: string, size: number): BlobSource;
  /** Small blobs (image configs), digest-checked. */
  getBlob(repo: string, digest: string, signal?: AbortSignal): Promise<Buffer>;
  /** HEAD only: what a tag or digest points at, without reading it. */
  headManifest(repo: string, reference: string, signal?: AbortSignal): Promise<Descriptor | undefined>;
  getManifest(repo: string, reference: string, signal?: AbortSignal): Promise<ManifestDocument | undefined>;
  /**
   * OCI 1.1 referrers of `digest` (the manifests whose subject it is); undefined where the store has
   * no referrers API (a layout, a registry that answers 404): then only the tag layout is written.
   */
  referrers?(repo: string, digest: string, signal?: AbortSignal): Promise<readonly Descriptor[] | undefined>;
  /** Under a tag or its own digest. */
  putManifest(repo: string, reference: string, doc: ManifestDocument, signal?: AbortSignal): Promise<void>;
}
