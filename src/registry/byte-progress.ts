/**
 * Bytes-sent progress for pushes: a wrapper that counts what an upload stream has handed over,
 * and a tracker that turns per-blob counts into one `current/total` for the whole push, reported
 * often enough to move a progress display but not once per 64 KiB chunk (the `--json` stream
 * would carry thousands of lines for a large layer).
 */

/** Yields `source` unchanged, calling `onBytes` with the running total after each chunk is taken. */
export async function* countBytes(source: AsyncIterable<Uint8Array>, onBytes: (sent: number) => void): AsyncGenerator<Uint8Array> {
  let sent = 0;
  for await (const chunk of source) {
    yield chunk;
    sent += chunk.length;
    onBytes(sent);
  }
}

/** Report at least every this many bytes… */
const MIN_STEP = 256 * 1024;
/** …and at most 100 times per push. */
const STEPS = 100;

export interface ByteTracker {
  /** A blob begins: always reports (the message names the blob). */
  startBlob(): void;
  /** Bytes of the blobs done so far plus `inBlob` bytes of the one in flight; reports when worth it. */
  progress(inBlob: number): void;
  /** A blob is done (uploaded, mounted or already there): counts whole, always reports. */
  finishBlob(size: number): void;
  readonly done: number;
}

export function createByteTracker(total: number, report: (current: number, total: number) => void): ByteTracker {
  let done = 0;
  let reported = -1;
  const step = Math.max(MIN_STEP, Math.ceil(total / STEPS));
  const emit = (current: number, force: boolean) => {
    if (!force && current - reported < step) return;
    reported = current;
    report(Math.min(current, total), total);
  };
  return {
    startBlob: () => emit(done, true),
    progress: (inBlob) => emit(done + inBlob, false),
    finishBlob: (size) => {
      done += size;
      emit(done, true);
    },
    get done() {
      return done;
    },
  };
}
