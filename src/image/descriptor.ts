/** Content descriptors and digests: the addressing every manifest, index and blob store uses. */
import { createHash } from 'node:crypto';

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
}

export function sha256Digest(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export function isDigest(value: string): boolean {
  return /^sha256:[a-f0-9]{64}$/.test(value);
}

/** `sha256:0123456789ab` for tables and logs. */
export function shortDigest(digest: string): string {
  return digest.slice(0, 'sha256:'.length + 12);
}
