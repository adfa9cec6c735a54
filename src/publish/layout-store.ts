/**
 * An OCI image layout directory as a publish target. Blobs (layers, configs, manifests, indexes)
 * land in `blobs/sha256/` through a temp file and a rename, checked against their digest on the
 * way; a tag is an `index.json` entry named `<repository>:<tag>`, rewritten atomically (and one
 * writer at a time in this process). Repositories only name things here: all share the blobs. Edge.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { MultiarchError } from '../errors/multiarch-error.js';
import { isDigest, sha256Digest, type Descriptor } from '../image/descriptor.js';
import type { ManifestDocument } from '../image/manifest.js';
import { digestStream } from '../image/digest-stream.js';
import { emptyLayoutIndex, findRef, LAYOUT_VERSION, layoutRefName, parseLayoutIndex, parseLayoutMarker, setRef, type LayoutIndex } from '../image/oci-layout.js';
import type { BlobOutcome, BlobSource, ContentStore, PutBlobOptions } from './content-store.js';
import { layoutFsError } from './layout-fs-error.js';
import { makeDirectory, removeDeadTemps, tempSuffix } from './layout-temps.js';

export class LayoutStore implements ContentStore {
  readonly kind = 'layout' as const;
  readonly host: string;
  private ready: Promise<void> | undefined;
  /** index.json is read-modify-written: one writer at a time. */
  private indexLock: Promise<unknown> = Promise.resolve();

  constructor(readonly dir: string) {
    this.host = `oci:${dir}`;
  }

  async hasBlob(_repo: string, digest: string): Promise<boolean> {
    return (await this.blobSize(digest)) !== undefined;
  }

  async putBlob(_repo: string, source: BlobSource, options: PutBlobOptions = {}): Promise<BlobOutcome> {
    await this.init();
    if ((await this.blobSize(source.digest)) === source.size) return 'skipped';
    await this.writeBlob(source.digest, source.size, source.open(0, source.size, options.signal));
    return 'uploaded';
  }

  readBlob(_repo: string, digest: string, size: number): BlobSource {
    const file = this.blobPath(digest);
    return { digest, size, open: (start, end) => (end > start ? createReadStream(file, { start, end: end - 1 }) : Readable.from([])) };
  }

  async getBlob(_repo: string, digest: string): Promise<Buffer> {
    const bytes = await readFile(this.blobPath(digest)).catch(() => {
      throw this.error(`blob ${digest} is missing`);
    });
    if (sha256Digest(bytes) !== digest) throw new MultiarchError('E_DIGEST_MISMATCH', `${this.host}: blob ${digest} has other content`);
    return bytes;
  }

  async headManifest(repo: string, reference: string): Promise<Descriptor | undefined> {
    if (!isDigest(reference)) {
      const entry = findRef(await this.readIndex(), layoutRefName(repo, reference));
      return entry && { mediaType: entry.mediaType, digest: entry.digest, size: entry.size };
    }
    const size = await this.blobSize(reference);
    if (size === undefined) return undefined;
    const doc = await this.getManifest(repo, reference);
    return doc && { mediaType: doc.mediaType, digest: doc.digest, size: doc.size };
  }

  async getManifest(repo: string, reference: string): Promise<ManifestDocument | undefined> {
    const head = isDigest(reference) ? { digest: reference } : await this.headManifest(repo, reference);
    if (!head || (await this.blobSize(head.digest)) === undefined) return undefined;
    const bytes = await this.getBlob(repo, head.digest);
    const mediaType = (JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType ?? '';
    return { bytes, digest: head.digest, size: bytes.length, mediaType };
  }

  async putManifest(repo: string, reference: string, doc: ManifestDocument): Promise<void> {
    await this.init();
    if ((await this.blobSize(doc.digest)) !== doc.size) await this.writeBlob(doc.digest, doc.size, [doc.bytes]);
    if (isDigest(reference)) return;
    await this.updateIndex((index) => setRef(index, doc, layoutRefName(repo, reference)));
  }

  private blobPath(digest: string): string {
    const [algorithm, hex] = digest.split(':');
    return path.join(this.dir, 'blobs', algorithm!, hex!);
  }

  private async blobSize(digest: string): Promise<number | undefined> {
    return stat(this.blobPath(digest)).then((s) => s.size, () => undefined);
  }

  /** `oci-layout` and an empty `index.json` when the directory is new; refuses other layout versions. */
  private init(): Promise<void> {
    this.ready ??= this.guard(async () => {
      await makeDirectory(path.join(this.dir, 'blobs', 'sha256'));
      await removeDeadTemps(this.dir);
      const marker = await readFile(path.join(this.dir, 'oci-layout'), 'utf8').catch(() => undefined);
      if (marker === undefined) await this.writeAtomic('oci-layout', JSON.stringify({ imageLayoutVersion: LAYOUT_VERSION }));
      else {
        const parsed = parseLayoutMarker(marker);
        if (!parsed.ok || parsed.version !== LAYOUT_VERSION) {
          throw this.error(parsed.ok ? `is an image layout of version ${parsed.version}, not ${LAYOUT_VERSION}` : parsed.message, 'point the url at an empty directory, or remove this one');
        }
      }
      if ((await stat(path.join(this.dir, 'index.json')).catch(() => undefined)) === undefined) {
        await this.writeAtomic('index.json', JSON.stringify(emptyLayoutIndex(), null, 2));
      }
    });
    return this.ready;
  }

  private async readIndex(): Promise<LayoutIndex> {
    const text = await readFile(path.join(this.dir, 'index.json'), 'utf8').catch(() => undefined);
    if (text === undefined) return emptyLayoutIndex();
    const parsed = parseLayoutIndex(text);
    if (!parsed.ok) throw this.error(parsed.message, 'repair or remove index.json');
    return parsed.index;
  }

  private updateIndex(change: (index: LayoutIndex) => LayoutIndex): Promise<void> {
    const next = this.indexLock.catch(() => undefined).then(async () => {
      await this.writeAtomic('index.json', `${JSON.stringify(change(await this.readIndex()), null, 2)}\n`);
    });
    this.indexLock = next;
    return next;
  }

  private async writeAtomic(name: string, text: string): Promise<void> {
    const temp = path.join(this.dir, `.${name}.${tempSuffix()}`);
    await this.guard(async () => {
      try {
        await writeFile(temp, text);
        await rename(temp, path.join(this.dir, name));
      } finally {
        await rm(temp, { force: true }).catch(() => undefined);
      }
    });
  }

  /** File-system failures become E_LAYOUT naming the path and the fix, not "a bug in multiarch". */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw layoutFsError(error, this.host);
    }
  }

  /** Streams into a temp file, checks size and digest, then renames into place. */
  private async writeBlob(digest: string, size: number, bytes: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<void> {
    const target = this.blobPath(digest);
    const temp = path.join(this.dir, 'blobs', `.tmp-${tempSuffix()}`);
    const counted = digestStream();
    try {
      await pipeline(Readable.from(bytes), counted.stream, createWriteStream(temp));
      const got = counted.digest();
      const written = counted.size();
      if (got !== digest || written !== size) {
        throw new MultiarchError('E_DIGEST_MISMATCH', `${this.host}: the bytes for ${digest} (${size} bytes) were ${got} (${written} bytes); nothing was written`);
      }
      await mkdir(path.dirname(target), { recursive: true });
      await rename(temp, target);
    } catch (error) {
      throw layoutFsError(error, this.host, path.join(this.dir, 'blobs'));
    } finally {
      await rm(temp, { force: true }).catch(() => undefined);
    }
  }

  private error(message: string, hint?: string): MultiarchError {
    return new MultiarchError('E_LAYOUT', `${this.host} ${message}`, hint ? { hint } : {});
  }
}
