/**
 * What this machine remembers about registries and inputs, under `<cache>/state/`: facts about
 * content-addressed things (a manifest's recorded inputs, an index's children, an inputs digest's
 * details, a context's file list) that can never go stale, plus the last-seen digest of each tag
 * and base image (used only by `plan --offline`). Only a speed-up and an offline fallback:
 * deleting it changes no decision of an online plan. Edge.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import type { IndexChildState, InputsDetail, TagState } from '../plan/incremental/types.js';

/** What a manifest (by digest) tells about itself. */
export interface ManifestFacts {
  /** Platform image: the inputs digest its config labels record (null: none recorded). */
  readonly inputs?: string | null;
  /** Index: its children. */
  readonly children?: readonly IndexChildState[];
  /** Index: its own annotations (absent in records written before they were kept). */
  readonly annotations?: Readonly<Record<string, string>>;
}

interface Remembered<T> {
  readonly at: string;
  readonly value: T;
}

export class StateStore {
  private tagsCache: Record<string, Remembered<TagState | null>> | undefined;
  private basesCache: Record<string, Remembered<string>> | undefined;

  constructor(readonly root: string | undefined) {}

  manifest(digest: string): Promise<ManifestFacts | undefined> {
    return this.readJson<ManifestFacts>('manifests', digest);
  }
  saveManifest(digest: string, facts: ManifestFacts): Promise<void> {
    return this.writeJson('manifests', digest, facts);
  }
  detail(inputs: string): Promise<InputsDetail | undefined> {
    return this.readJson<InputsDetail>('details', inputs);
  }
  saveDetail(inputs: string, detail: InputsDetail): Promise<void> {
    return this.writeJson('details', inputs, detail);
  }
  files(context: string): Promise<Record<string, string> | undefined> {
    return this.readJson<Record<string, string>>('files', context);
  }
  saveFiles(context: string, files: Readonly<Record<string, string>>): Promise<void> {
    return this.writeJson('files', context, files);
  }

  /** Last-seen tag states (for --offline), with when they were seen. */
  async tags(): Promise<Record<string, Remembered<TagState | null>>> {
    this.tagsCache ??= (await this.readJson<Record<string, Remembered<TagState | null>>>('', 'tags')) ?? {};
    return this.tagsCache;
  }
  async rememberTags(states: Readonly<Record<string, TagState | null>>, at: string): Promise<void> {
    const all = { ...(await this.tags()) };
    for (const [ref, value] of Object.entries(states)) all[ref] = { at, value };
    this.tagsCache = all;
    await this.writeJson('', 'tags', all);
  }

  /** Last-resolved base images: `<ref> <platform>` → platform image digest. */
  async bases(): Promise<Record<string, Remembered<string>>> {
    this.basesCache ??= (await this.readJson<Record<string, Remembered<string>>>('', 'bases')) ?? {};
    return this.basesCache;
  }
  async rememberBases(resolved: Readonly<Record<string, string>>, at: string): Promise<void> {
    if (Object.keys(resolved).length === 0) return;
    const all = { ...(await this.bases()) };
    for (const [key, value] of Object.entries(resolved)) all[key] = { at, value };
    this.basesCache = all;
    await this.writeJson('', 'bases', all);
  }

  private file(kind: string, key: string): string | undefined {
    if (!this.root) return undefined;
    return path.join(this.root, 'state', kind, `${key.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
  }

  private async readJson<T>(kind: string, key: string): Promise<T | undefined> {
    const file = this.file(kind, key);
    if (!file) return undefined;
    try {
      return JSON.parse(await readFile(file, 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  private async writeJson(kind: string, key: string, value: unknown): Promise<void> {
    const file = this.file(kind, key);
    if (!file) return;
    try {
      await mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
      await writeFile(temp, JSON.stringify(value));
      await rename(temp, file);
    } catch {
      // A cache that cannot be written is a slower next run, not a failure.
    }
  }
}
