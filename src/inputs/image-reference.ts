/**
 * An image reference as a pull resolves it: config-edit's parser (Docker's rules for the host),
 * plus what the registry API needs — `library/` for single-name Docker Hub repositories, `latest`
 * when neither a tag nor a digest is given, and a well-formed digest. Pure.
 */
import { parseImageReference as parseReference, type ImageReference } from '../config-edit/image-reference.js';

export type { ImageReference } from '../config-edit/image-reference.js';

export type ParseReferenceResult = { ok: true; reference: ImageReference } | { ok: false; message: string };

const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;

export function parseImageReference(text: string): ParseReferenceResult {
  const parsed = parseReference(text);
  if (!parsed) return { ok: false, message: `"${text}" is not a valid image reference` };
  if (parsed.digest && !DIGEST.test(parsed.digest)) return { ok: false, message: `"${text}" has an invalid digest` };
  const repository = parsed.host === 'docker.io' && !parsed.repository.includes('/') ? `library/${parsed.repository}` : parsed.repository;
  return { ok: true, reference: { ...parsed, repository, ...(parsed.tag || parsed.digest ? {} : { tag: 'latest' }) } };
}

/** `docker.io/library/node:20`, `host/repo@sha256:…` (the digest wins over a tag, as in a pull). */
export function formatReference(ref: ImageReference): string {
  return ref.digest ? `${ref.host}/${ref.repository}@${ref.digest}` : `${ref.host}/${ref.repository}:${ref.tag ?? 'latest'}`;
}
