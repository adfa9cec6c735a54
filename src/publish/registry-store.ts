/**
 * A registry as a publish target: one RegistrySession (client, blob homes, uploads in flight). A blob
 * is put at most once per registry per run: puts of one digest take turns, so the second finds it
 * (HEAD) or mounts it from the repository the first put it in; a mount the registry declines (202,
 * as ECR does for blobs no manifest references yet) falls back to an upload. A blob a base image
 * holds in this registry (BlobSource.heldBy) is mounted from there first; a small one with nowhere
 * to mount it from is sent without a HEAD. Edge.
 */
import type { Descriptor } from '../image/descriptor.js';
import type { ManifestDocument } from '../image/manifest.js';
import { rememberBlob, type RegistrySession } from '../registry/pool.js';
import type { BlobOutcome, BlobSource, ContentStore, PutBlobOptions } from './content-store.js';

/** Bytes at most: a blob this small is sent without asking whether the repository has it. */
const SEND_WITHOUT_ASKING = 64 * 1024;

export class RegistryStore implements ContentStore {
  readonly kind = 'registry' as const;

  constructor(readonly session: RegistrySession) {}

  get host(): string {
    return this.session.client.host;
  }

  hasBlob(repo: string, digest: string, signal?: AbortSignal): Promise<boolean> {
    return this.session.client.hasBlob(repo, digest, signal);
  }

  putBlob(repo: string, source: BlobSource, options: PutBlobOptions = {}): Promise<BlobOutcome> {
    const { inflight } = this.session;
    const previous = inflight.get(source.digest) ?? Promise.resolve();
    const work = previous.catch(() => undefined).then(() => this.put(repo, source, options));
    inflight.set(source.digest, work);
    void work.finally(() => {
      if (inflight.get(source.digest) === work) inflight.delete(source.digest);
    }).catch(() => undefined);
    return work;
  }

  private async put(repo: string, source: BlobSource, options: PutBlobOptions): Promise<BlobOutcome> {
    const { client, blobHomes } = this.session;
    const { digest, size } = source;
    const { signal } = options;
    if (blobHomes.get(digest)?.has(repo)) return 'skipped';
    // A blob a repository of this registry is known to hold (a base's layer) is mounted at once: a
    // mount of a blob the target has already succeeds too, so no HEAD goes first.
    const held = source.heldBy;
    if (held && held.store instanceof RegistryStore && held.store.session === this.session && held.repository !== repo) {
      if (await this.mountHeld(repo, digest, held.repository, signal)) return 'mounted';
    }
    const candidates = new Set([...(options.mountFrom ?? []), ...(blobHomes.get(digest) ?? [])]);
    // A small blob with nowhere to mount it from goes up at once (POST, PUT), as `docker push` sends
    // a layer it knows nothing of: asking first (HEAD) costs a round trip more than the bytes.
    const ask = size > SEND_WITHOUT_ASKING || candidates.size > 0;
    if (ask && (await client.hasBlob(repo, digest, signal))) {
      rememberBlob(this.session, digest, repo);
      return 'skipped';
    }
    for (const from of candidates) {
      if (from !== repo && (await client.mountBlob(repo, digest, from, signal))) {
        rememberBlob(this.session, digest, repo);
        return 'mounted';
      }
    }
    await client.uploadBlob(repo, digest, size, (start, end) => source.open(start, end, signal), signal);
    rememberBlob(this.session, digest, repo);
    return 'uploaded';
  }

  /** A mount this run did not learn of itself may be refused (no pull access to that repository): then the bytes go. */
  private async mountHeld(repo: string, digest: string, from: string, signal?: AbortSignal): Promise<boolean> {
    try {
      if (!(await this.session.client.mountBlob(repo, digest, from, signal))) return false;
    } catch (error) {
      if (signal?.aborted) throw error;
      return false;
    }
    rememberBlob(this.session, digest, repo);
    return true;
  }

  readBlob(repo: string, digest: string, size: number): BlobSource {
    const client = this.session.client;
    return { digest, size, open: (start, end, signal) => client.streamBlob(repo, digest, start, end >= size ? undefined : end, signal) };
  }

  getBlob(repo: string, digest: string, signal?: AbortSignal): Promise<Buffer> {
    return this.session.client.getBlob(repo, digest, signal);
  }

  headManifest(repo: string, reference: string, signal?: AbortSignal): Promise<Descriptor | undefined> {
    return this.session.client.headManifest(repo, reference, signal);
  }

  getManifest(repo: string, reference: string, signal?: AbortSignal): Promise<ManifestDocument | undefined> {
    return this.session.client.getManifest(repo, reference, signal);
  }

  /**
   * Support is asked once per registry: the first ask decides (concurrent ones wait for its
   * answer), and after a "no" no more requests go out for it.
   */
  async referrers(repo: string, digest: string, signal?: AbortSignal): Promise<readonly Descriptor[] | undefined> {
    const { session } = this;
    if (!session.referrersApi) {
      const first = session.client.listReferrers(repo, digest, signal);
      session.referrersApi = first.then(
        (list) => list !== undefined,
        () => false,
      );
      return first;
    }
    if (!(await session.referrersApi)) return undefined;
    return (await session.client.listReferrers(repo, digest, signal)) ?? [];
  }

  putManifest(repo: string, reference: string, doc: ManifestDocument, signal?: AbortSignal): Promise<void> {
    return this.session.client.putManifest(repo, reference, doc, signal);
  }
}
