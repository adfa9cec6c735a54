/** One platform image a shard holds (or names as current in its registry). Pure type. */
import type { ManifestFormat } from '../config/resolved.js';
import type { InputsDetail, PublishedImage } from './incremental/types.js';

export interface ShardImage {
  readonly platform: string;
  readonly format: ManifestFormat;
  readonly repository: string;
  readonly digest: string;
  /** The `dev.multiarch.inputs` label and its detail; absent when the image has none. */
  readonly inputs?: string;
  readonly detail?: InputsDetail;
  /** Predicate type → its blob in the shard's layout: the attestations the merge signs. */
  readonly predicates?: Readonly<Record<string, string>>;
  /** Not built by the shard: the publish targets held it with these inputs (not in the layout). */
  readonly current?: PublishedImage;
}
