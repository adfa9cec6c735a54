/**
 * What a published platform image records about its inputs: the `dev.multiarch.inputs` label and
 * its details, read from the image config (a GET of the manifest and of the config blob; never a
 * layer) once per digest, then remembered by digest. Edge.
 */
import { INPUTS_DETAIL_LABEL, INPUTS_LABEL, type InputsDetail } from '../plan/incremental/types.js';
import type { ManifestReader } from './read-index.js';
import type { RegistryAccess } from './registry-access.js';
import type { StateStore } from './state-store.js';
import { configDigestOf } from '../image/manifest.js';

export interface RecordedInputs {
  /** null: the image records none (not built by multiarch). */
  readonly inputs: string | null;
  readonly detail?: InputsDetail;
}

export async function readRecordedInputs(
  access: RegistryAccess,
  client: ManifestReader,
  store: StateStore,
  repository: string,
  digest: string,
  signal?: AbortSignal,
): Promise<RecordedInputs> {
  const manifest = await access.limit(() => client.getManifest(repository, digest, signal));
  const configDigest = manifest ? configDigestOf(manifest.bytes) : undefined;
  if (!configDigest) {
    await store.saveManifest(digest, { inputs: null });
    return { inputs: null };
  }
  const recorded = recordedInputsOf(await access.limit(() => client.getBlob(repository, configDigest, signal)));
  await store.saveManifest(digest, { inputs: recorded.inputs });
  if (recorded.inputs && recorded.detail) await store.saveDetail(recorded.inputs, recorded.detail);
  return recorded;
}

/** The inputs labels of an image config blob. */
export function recordedInputsOf(configBlob: Buffer): RecordedInputs {
  const config = JSON.parse(configBlob.toString('utf8')) as { config?: { Labels?: Record<string, string> | null } };
  const labels = config.config?.Labels ?? {};
  const inputs = labels[INPUTS_LABEL] ?? null;
  let detail: InputsDetail | undefined;
  try {
    detail = labels[INPUTS_DETAIL_LABEL] ? (JSON.parse(labels[INPUTS_DETAIL_LABEL]) as InputsDetail) : undefined;
  } catch {
    detail = undefined;
  }
  return { inputs, ...(detail ? { detail } : {}) };
}
