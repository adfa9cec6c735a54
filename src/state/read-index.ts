/**
 * An index's children (platform, digest, recorded inputs annotation), read once per index digest:
 * from the state store when this machine has seen that digest, else with one GET of the index
 * (never a layer). Edge.
 */
import type { Descriptor } from '../image/descriptor.js';
import { isIndexMediaType } from '../image/media-types.js';
import { INPUTS_LABEL, type IndexChildState, type TagState } from '../plan/incremental/types.js';
import { canonicalPlatform, type RegistryAccess } from './registry-access.js';
import type { StateStore } from './state-store.js';

interface IndexJson {
  readonly annotations?: Record<string, string>;
  readonly manifests?: ReadonlyArray<{
    readonly mediaType?: string;
    readonly digest: string;
    readonly size?: number;
    readonly platform?: { os?: string; architecture?: string; variant?: string };
    readonly annotations?: Record<string, string>;
  }>;
}

/** What reading manifests and configs needs: a registry client or a publish target's store. */
export interface ManifestReader {
  getManifest(repo: string, reference: string, signal?: AbortSignal): Promise<{ readonly bytes: Buffer } | undefined>;
  getBlob(repo: string, digest: string, signal?: AbortSignal): Promise<Buffer>;
}

export function isIndex(mediaType: string): boolean {
  return isIndexMediaType(mediaType);
}

/** A tag's state: its HEAD and, when it is an index, the index's children and annotations; null when there is no such tag. */
export async function readTagState(
  access: RegistryAccess,
  client: ManifestReader & { headManifest(repo: string, reference: string, signal?: AbortSignal): Promise<Descriptor | undefined> },
  store: StateStore,
  repository: string,
  tag: string,
  signal?: AbortSignal,
): Promise<TagState | null> {
  const head = await access.limit(() => client.headManifest(repository, tag, signal));
  if (!head) return null;
  const index = isIndex(head.mediaType) ? await readIndexState(access, client, store, repository, head.digest, signal) : undefined;
  return { digest: head.digest, mediaType: head.mediaType, size: head.size, ...(index ? { children: index.children, annotations: index.annotations } : {}) };
}

export async function readIndexChildren(
  access: RegistryAccess,
  client: ManifestReader,
  store: StateStore,
  repository: string,
  digest: string,
  signal?: AbortSignal,
): Promise<readonly IndexChildState[]> {
  return (await readIndexState(access, client, store, repository, digest, signal)).children;
}

/** Children and the index's own annotations (an annotation change is an index update). */
export async function readIndexState(
  access: RegistryAccess,
  client: ManifestReader,
  store: StateStore,
  repository: string,
  digest: string,
  signal?: AbortSignal,
): Promise<{ readonly children: readonly IndexChildState[]; readonly annotations: Readonly<Record<string, string>> }> {
  const known = await store.manifest(digest);
  if (known?.children && known.annotations) return { children: known.children, annotations: known.annotations };
  const got = await access.limit(() => client.getManifest(repository, digest, signal));
  if (!got) return { children: [], annotations: {} };
  const parsed = JSON.parse(got.bytes.toString('utf8')) as IndexJson;
  const children = (parsed.manifests ?? [])
    .map((m) => ({
      platform: canonicalPlatform(m.platform),
      digest: m.digest,
      mediaType: m.mediaType ?? '',
      size: m.size ?? 0,
      ...(m.annotations?.[INPUTS_LABEL] ? { inputs: m.annotations[INPUTS_LABEL] } : {}),
    }))
    .filter((c) => c.platform !== 'unknown');
  const annotations = parsed.annotations ?? {};
  await store.saveManifest(digest, { children, annotations });
  return { children, annotations };
}
