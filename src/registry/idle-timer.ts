/**
 * A stall detector for one HTTP exchange: it fires when no byte moved (request body pulled, response
 * headers or body read) for `ms`. Unlike a total timeout it never cuts off a large upload that is
 * merely slow, only one that stopped. Edge (timers).
 */
import { withBody, type HttpResponse } from './http-transport.js';

export interface IdleTimer {
  readonly signal: AbortSignal;
  /** Something moved: start the wait again. */
  touch(): void;
  stop(): void;
  readonly fired: () => boolean;
}

export function createIdleTimer(ms: number): IdleTimer {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let fired = false;
  let stopped = false;
  const arm = () => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      fired = true;
      controller.abort(new Error(`no data moved for ${ms / 1000}s`));
    }, ms);
    timer.unref?.();
  };
  arm();
  return {
    signal: controller.signal,
    touch: arm,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    fired: () => fired,
  };
}

/** A request body as the transport pulls it, touching the timer for every chunk. */
export async function* touching(body: AsyncIterable<Uint8Array>, timer: IdleTimer): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    timer.touch();
    yield chunk;
  }
}

/** The same response, whose body reads keep the timer alive; the timer stops when the body is done. */
export function watchResponse(res: HttpResponse, timer: IdleTimer): HttpResponse {
  timer.touch();
  if (!res.body) {
    timer.stop();
    return res;
  }
  return withBody(res, watched(res.body, timer));
}

async function* watched(body: AsyncIterable<Uint8Array>, timer: IdleTimer): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of body) {
      timer.touch();
      yield chunk;
    }
  } finally {
    timer.stop();
  }
}
