/**
 * Bytes-sent progress for pushes: a wrapper that counts what an upload stream has handed over,
 * and a reporter that turns those counts into one `current/total` for the whole push, reported
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

/**
 * Reports `current` of `total` bytes: always when forced (a blob began or ended), else only after
 * another step's worth. Never reports less than before: with several blobs in flight, a caller's
 * sum may dip when a retried upload restarts its count.
 */
export type ByteReporter = (current: number, force?: boolean) => void;

export function createByteReporter(total: number, report: (current: number, total: number) => void): ByteReporter {
  let reported = -1;
  const step = Math.max(MIN_STEP, Math.ceil(total / STEPS));
  return (current, force = false) => {
    const value = Math.min(Math.max(current, reported), total);
    if (!force && value - reported < step) return;
    reported = value;
    report(value, total);
  };
}
