/**
 * A local content-addressed store (`blobs/sha256/<hex>`, as in an OCI layout) that holds the
 * compressed layers and configs of exported images, so an image pushed to several repositories or
 * registries is exported and compressed once. Only a speed-up: deleting it changes no result.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import process from 'node:process';
import { removeDeadOwnerFiles } from '../sys/run-owner.js';

/** `tmp/<pid>-<hex>`: whose temp file it is. */
const TEMP_NAME = /^(\d+)-[0-9a-f]+$/;

export class BlobStore {
  private swept: Promise<void> | undefined;

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

  /**
   * A fresh temp file path inside the store (same filesystem, so commit is a rename), named for this
   * process: the first one of a run also removes the temp files of runs killed while writing.
   */
  async tempPath(): Promise<string> {
    const dir = path.join(this.root, 'tmp');
    await mkdir(dir, { recursive: true });
    this.swept ??= removeDeadOwnerFiles(dir, TEMP_NAME).then(() => undefined, () => undefined);
    await this.swept;
    return path.join(dir, `${process.pid}-${randomBytes(8).toString('hex')}`);
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
