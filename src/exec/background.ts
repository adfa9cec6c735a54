/**
 * Work a step starts but need not wait for, such as removing a test's container once its answer is
 * in: the engine's container teardown takes a quarter of a second that the push after the test
 * does not have to wait for. The run waits for all of it before it ends, so nothing a step started
 * outlives `apply`. Failures are the work's own business (it reports them itself, if at all).
 */
export interface BackgroundWork {
  add(work: Promise<unknown>): void;
  /** Resolves once everything added (including what is added meanwhile) has finished. */
  settle(): Promise<void>;
}

export function createBackgroundWork(): BackgroundWork {
  const pending = new Set<Promise<unknown>>();
  return {
    add(work) {
      const tracked: Promise<unknown> = work.catch(() => undefined).finally(() => pending.delete(tracked));
      pending.add(tracked);
    },
    async settle() {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}
