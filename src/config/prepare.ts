/**
 * An image's `prepare` step as the planner sees it: the function (which only apply can call), the
 * globs of what it writes, and a stable fingerprint of its source — a plan is JSON and cannot hold
 * the function, so it records that the step exists and which code it was. Pure.
 */
import { createHash } from 'node:crypto';
import type { PrepareFn } from '../prepare/context.js';
import type { UserPrepare } from './schema.js';

export interface PrepareSource {
  /** `sha256:…` of the function's source text (as loaded, after the TypeScript transform). */
  readonly hash: string;
  /** Its first line or so, whitespace collapsed: `async ({ $, platform }) => { await $\`make…` */
  readonly description: string;
}

export interface ResolvedPrepare {
  readonly run: PrepareFn;
  /** Globs relative to the image's context; `[]` when none were declared. */
  readonly outputs: readonly string[];
  readonly source: PrepareSource;
}

const DESCRIPTION_LENGTH = 72;

export function normalizePrepare(user: UserPrepare): ResolvedPrepare {
  const run = typeof user === 'function' ? user : user.run;
  return { run, outputs: typeof user === 'function' ? [] : (user.outputs ?? []), source: describeFunction(run) };
}

export function describeFunction(fn: (...args: never[]) => unknown): PrepareSource {
  const text = Function.prototype.toString.call(fn);
  const flat = text.replace(/\s+/g, ' ').trim();
  return {
    hash: `sha256:${createHash('sha256').update(text).digest('hex')}`,
    description: flat.length > DESCRIPTION_LENGTH ? `${flat.slice(0, DESCRIPTION_LENGTH - 1)}…` : flat,
  };
}
