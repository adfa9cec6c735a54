/**
 * Network knobs from the environment, for registries that are slow, flaky or behind small proxies:
 *   MULTIARCH_HTTP_TIMEOUT       seconds with no byte moving before a request is abandoned (60)
 *   MULTIARCH_HTTP_RETRIES       tries per request and upload sessions per blob (4)
 *   MULTIARCH_UPLOAD_CHUNK_SIZE  bytes; larger blobs are uploaded in resumable chunks (33554432)
 * Read once, at the edge.
 */
import { MultiarchError } from '../errors/multiarch-error.js';
import type { HttpSettings } from './pool.js';

export function readHttpSettings(env: NodeJS.ProcessEnv): HttpSettings {
  const number = (name: string, min: number): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min) {
      throw new MultiarchError('E_USAGE', `${name}=${raw} is not a number of at least ${min}`, { hint: `unset ${name} or give it a number` });
    }
    return value;
  };
  const timeout = number('MULTIARCH_HTTP_TIMEOUT', 0.1);
  const retries = number('MULTIARCH_HTTP_RETRIES', 1);
  const chunk = number('MULTIARCH_UPLOAD_CHUNK_SIZE', 1024);
  return {
    ...(timeout !== undefined ? { idleTimeoutMs: timeout * 1000 } : {}),
    ...(retries !== undefined ? { attempts: Math.floor(retries) } : {}),
    ...(chunk !== undefined ? { chunkSize: Math.floor(chunk) } : {}),
  };
}
