/** One timer for the whole view: spinners and elapsed times advance with its tick. */
import { useEffect, useState } from 'react';

export const TICK_MS = 120;

/** Counts up every `ms` while `active`; no timer at all otherwise, so a finished view lets Node exit. */
export function useTicker(active: boolean, ms = TICK_MS): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(() => setTick((t) => t + 1), ms);
    return () => clearInterval(timer);
  }, [active, ms]);
  return tick;
}
