/**
 * After apply: what it wrote goes into the state store (tags and the digests they now hold, the
 * inputs each new image records, each new index's children), so the next plan — online or
 * `--offline` — knows it without reading it back. Edge.
 */
import type { InputsDetail, TagState } from '../plan/incremental/types.js';
import { StateStore } from './state-store.js';

/** What one apply wrote, as the state store keeps it. */
export interface AppliedState {
  readonly tags: Record<string, TagState>;
  /** Platform image digest → the inputs it records. */
  readonly inputs: Record<string, string>;
  readonly details: Record<string, InputsDetail>;
  /** Index digest → children. */
  readonly indexes: Record<string, NonNullable<TagState['children']>>;
}

export async function recordApplied(cacheDir: string | undefined, applied: AppliedState, now: string): Promise<void> {
  const store = new StateStore(cacheDir);
  await Promise.all([
    ...Object.entries(applied.inputs).map(([digest, inputs]) => store.saveManifest(digest, { inputs })),
    ...Object.entries(applied.details).map(([inputs, detail]) => store.saveDetail(inputs, detail)),
    ...Object.entries(applied.indexes).map(([digest, children]) => store.saveManifest(digest, { children })),
  ]);
  if (Object.keys(applied.tags).length > 0) await store.rememberTags(applied.tags, now);
}
