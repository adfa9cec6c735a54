/** What the client tests share: a manifest to serve and a client for a test server, retrying fast. */
import { sha256Digest } from '../../../src/image/descriptor.js';
import { createImageManifest } from '../../../src/image/manifest.js';
import { RegistryClient } from '../../../src/registry/client.js';
import type { Credential } from '../../../src/registry/credentials.js';
import type { Answer } from './http-double.js';

export const manifest = createImageManifest(
  { config: { digest: sha256Digest('config'), size: 6 }, layers: [{ digest: sha256Digest('layer'), size: 5 }] },
  'oci',
);
export const okManifest: Answer = { status: 200, headers: { 'content-type': manifest.mediaType, 'docker-content-digest': manifest.digest }, body: manifest.bytes };
export const login: Extract<Credential, { kind: 'basic' }> = { kind: 'basic', username: 'ci-bot', password: 'pushing-secret', source: 'test' };

export function client(host: string, options: { credential?: Credential; attempts?: number; scheme?: 'http' | 'https' } = {}) {
  let loads = 0;
  const c = new RegistryClient({
    endpoint: { host, apiHost: host, scheme: options.scheme ?? 'http' },
    credential: async () => {
      loads++;
      return options.credential;
    },
    attempts: options.attempts ?? 4,
    baseDelayMs: 1,
  });
  return { c, loads: () => loads };
}

