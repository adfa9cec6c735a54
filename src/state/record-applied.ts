/**
 * After apply: what it wrote (each node's `written`, in the run summary) goes into the state store (tags and the digests they now hold, the
 * inputs each new image records, each new index's children), so the next plan — online or
 * `--offline` — knows it without reading it back. Edge.
 */
import type { InputsDetail, TagState, WrittenRecord } from '../plan/incremental/types.js';
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

/** The nodes' records, as one state: later nodes win (a tag written twice holds the last). */
export function appliedState(records: Iterable<WrittenRecord>): AppliedState {
  const applied: AppliedState = { tags: {}, inputs: {}, details: {}, indexes: {} };
  for (const record of records) {
    Object.assign(applied.tags, record.tags);
    if (record.image) {
      applied.inputs[record.image.digest] = record.image.inputs;
      applied.details[record.image.inputs] = record.image.detail;
    }
    if (record.index) applied.indexes[record.index.digest] = [...record.index.children];
  }
  return applied;
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
