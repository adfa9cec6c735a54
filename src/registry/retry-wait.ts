/**
 * Waiting between tries: how long a 429/503's Retry-After asks for, and a sleep Ctrl-C cuts short.
 * How long to back off without one (exponential, with jitter) is the client's (client.ts).
 */
import { MultiarchError } from '../errors/multiarch-error.js';

/** Retry-After in seconds or as an HTTP date, capped at a minute. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.min(60_000, Math.max(0, seconds * 1000));
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.min(60_000, Math.max(0, date - now)) : undefined;
}

export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new MultiarchError('E_CANCELED', 'canceled'));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new MultiarchError('E_CANCELED', 'canceled'));
      },
      { once: true },
    );
  });
}
