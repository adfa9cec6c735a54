/**
 * Has the world moved since a plan was made? Compares the saved plan's fingerprint (each build's
 * inputs digest, each tag's digest) with a fresh one and lists every difference. A tag the saved
 * plan did not know (made offline) counts as missing then. Pure.
 */
import { short } from './reasons.js';
import type { PlanFingerprint } from './types.js';

export function fingerprintChanges(saved: PlanFingerprint, fresh: PlanFingerprint): string[] {
  const out: string[] = [];
  for (const id of new Set([...Object.keys(saved.inputs), ...Object.keys(fresh.inputs)])) {
    const before = saved.inputs[id];
    const now = fresh.inputs[id];
    if (before !== now) out.push(`${id}: inputs ${before ? short(before) : '(none)'} → ${now ? short(now) : '(not in the plan)'}`);
  }
  for (const ref of new Set([...Object.keys(saved.tags), ...Object.keys(fresh.tags)])) {
    const before = saved.tags[ref] ?? null;
    const now = fresh.tags[ref] ?? null;
    if (before !== now) out.push(`${ref}: ${before ? short(before) : 'missing'} when planned, ${now ? short(now) : 'missing'} now`);
  }
  return out;
}
