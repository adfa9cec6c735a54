/**
 * A local content-addressed store (`blobs/sha256/<hex>`, as in an OCI layout) that holds the
 * compressed layers and configs of exported images, so an image pushed to several repositories or
 * registries is exported and compressed once. Only a speed-up: deleting it changes no result.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

export class BlobStore {
  constructor(readonly root: string) {}

  path(digest: string): string {
    const [algorithm, hex] = digest.split(':');
    return path.join(this.root, 'blobs', algorithm!, hex!);
  }

  async size(digest: string): Promise<number | undefined> {
    try {
      return (await stat(this.path(digest))).size;
    } catch {
      return undefined;
    }
  }

  async has(digest: string): Promise<boolean> {
    return (await this.size(digest)) !== undefined;
  }

  read(digest: string): Promise<Buffer> {
    return readFile(this.path(digest));
  }

  stream(digest: string): NodeJS.ReadableStream {
    return createReadStream(this.path(digest));
  }

  /** A fresh temp file path inside the store (same filesystem, so commit is a rename). */
  async tempPath(): Promise<string> {
    const dir = path.join(this.root, 'tmp');
    await mkdir(dir, { recursive: true });
    return path.join(dir, randomBytes(8).toString('hex'));
  }

  /** Moves a finished temp file to its digest's place. */
  async commit(temp: string, digest: string): Promise<void> {
    const target = this.path(digest);
    await mkdir(path.dirname(target), { recursive: true });
    if (await this.has(digest)) {
      await rm(temp, { force: true });
      return;
    }
    await rename(temp, target);
  }

  async put(digest: string, bytes: Buffer): Promise<void> {
    if (await this.has(digest)) return;
    const temp = await this.tempPath();
    await writeFile(temp, bytes);
    await this.commit(temp, digest);
  }

  /** Small JSON records next to the blobs (e.g. exported image descriptors by image id). */
  async readRecord<T>(kind: string, key: string): Promise<T | undefined> {
    try {
      return JSON.parse(await readFile(path.join(this.root, kind, `${key}.json`), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  async writeRecord(kind: string, key: string, value: unknown): Promise<void> {
    const dir = path.join(this.root, kind);
    await mkdir(dir, { recursive: true });
    const temp = path.join(dir, `.${key}.${randomBytes(4).toString('hex')}`);
    await writeFile(temp, JSON.stringify(value));
    await rename(temp, path.join(dir, `${key}.json`));
  }
}
