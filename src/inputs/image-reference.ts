/**
 * An image reference as Docker normalises it: `node:20` is `docker.io/library/node:20`,
 * `ghcr.io/a/b` is `ghcr.io/a/b:latest`, a first component with a `.` or `:` (or `localhost`) is
 * a registry host, `@sha256:…` pins a digest. Pure.
 */

export interface ImageReference {
  /** As written in image references: `docker.io`, `127.0.0.1:5000`. */
  readonly host: string;
  /** Repository path on that registry (`library/node` on Docker Hub). */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

export type ParseReferenceResult = { ok: true; reference: ImageReference } | { ok: false; message: string };

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;

export function parseImageReference(text: string): ParseReferenceResult {
  let rest = text.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return { ok: false, message: `"${text}" has an invalid digest` };
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return { ok: false, message: `"${text}" has an invalid tag` };
  }
  const parts = rest.split('/');
  let host = 'docker.io';
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || /[A-Z]/.test(first))) {
    host = first.toLowerCase();
    parts.shift();
  }
  if (host === 'index.docker.io' || host === 'registry-1.docker.io') host = 'docker.io';
  if (parts.length === 0 || !parts.every((p) => COMPONENT.test(p))) return { ok: false, message: `"${text}" is not a valid image reference` };
  if (host === 'docker.io' && parts.length === 1) parts.unshift('library');
  return { ok: true, reference: { host, repository: parts.join('/'), ...(tag || !digest ? { tag: tag ?? 'latest' } : {}), ...(digest ? { digest } : {}) } };
}

/** `docker.io/library/node:20`, `host/repo@sha256:…` (the digest wins over a tag, as in a pull). */
export function formatReference(ref: ImageReference): string {
  return ref.digest ? `${ref.host}/${ref.repository}@${ref.digest}` : `${ref.host}/${ref.repository}:${ref.tag ?? 'latest'}`;
}
