/**
 * What a build's output says beyond its steps: whether BuildKit served every step from its cache
 * (the image was there already: the node is `cached`), and which step failed — by BuildKit's
 * `#6 ERROR:` vertex, its `Dockerfile:7` excerpt (newer BuildKit) or the legacy builder's last
 * `Step 3/5 :`. Fed line by line; keeps only step lines, not the log. Pure.
 */
import type { StepRef } from '../dockerfile/step-line.js';

const VERTEX_STEP = /^#(\d+) \[(?:([^\]\s]+) )?(\d+)\/(\d+)\] (.+)$/;
const VERTEX_CACHED = /^#(\d+) CACHED$/;
const VERTEX_ERROR = /^#(\d+) ERROR:\s*(.*)$/;
/** A cache source BuildKit tries first; its ERROR is a warning: the build goes on without it. */
const VERTEX_CACHE_IMPORT = /^#(\d+) importing cache manifest from (\S+)/;
const LEGACY_STEP = /^Step (\d+)\/\d+ : (.+)$/;
/** Newer BuildKit prints the failing instruction's file and line above an excerpt of it. */
const EXCERPT_HEAD = /^([^\s:]+):(\d+)$/;
const EXCERPT_RULE = /^-{8,}$/;

/** The step that failed, and the file and line BuildKit named for it when it did. */
export interface BuildFailure {
  readonly step?: StepRef;
  readonly file?: string;
  readonly line?: number;
}

export interface BuildLogScan {
  push(line: string): void;
  /** Every step BuildKit ran came from its cache (FROM steps aside), and there was one at least. */
  fullyCached(): boolean;
  /** Dockerfile steps (FROM aside) and how many of them came from a cache. */
  stepCounts(): { readonly total: number; readonly cached: number };
  /** `<ref>: <why>` for each cache source that could not be read. */
  cacheProblems(): string[];
  failure(): BuildFailure | undefined;
}

export function createBuildLogScan(): BuildLogScan {
  const steps = new Map<string, StepRef>();
  const cached = new Set<string>();
  let errorVertex: string | undefined;
  const imports = new Map<string, string>();
  const importProblems: string[] = [];
  let legacy: StepRef | undefined;
  let pending: { file: string; line: number } | undefined;
  let excerpt: { file: string; line: number } | undefined;
  return {
    push(line) {
      if (pending) {
        if (EXCERPT_RULE.test(line) && !excerpt) excerpt = pending;
        pending = undefined;
      }
      let m = VERTEX_STEP.exec(line);
      if (m) {
        steps.set(m[1]!, { ...(m[2] ? { stage: m[2] } : {}), text: m[5]! });
        return;
      }
      if ((m = VERTEX_CACHED.exec(line))) {
        cached.add(m[1]!);
        return;
      }
      if ((m = VERTEX_CACHE_IMPORT.exec(line))) {
        imports.set(m[1]!, m[2]!.replace(/:$/, ''));
        return;
      }
      if ((m = VERTEX_ERROR.exec(line))) {
        const source = imports.get(m[1]!);
        if (source !== undefined) importProblems.push(`${source}: ${m[2]}`);
        else errorVertex ??= m[1]!;
        return;
      }
      if ((m = LEGACY_STEP.exec(line))) {
        legacy = { index: Number(m[1]), text: m[2]! };
        return;
      }
      if ((m = EXCERPT_HEAD.exec(line))) pending = { file: m[1]!, line: Number(m[2]) };
    },
    fullyCached() {
      const work = [...steps].filter(([, step]) => !/^FROM\s/i.test(step.text));
      return work.length > 0 && work.every(([vertex]) => cached.has(vertex));
    },
    stepCounts() {
      const work = [...steps].filter(([, step]) => !/^FROM\s/i.test(step.text));
      return { total: work.length, cached: work.filter(([vertex]) => cached.has(vertex)).length };
    },
    cacheProblems() {
      return [...importProblems];
    },
    failure() {
      const step = errorVertex !== undefined ? steps.get(errorVertex) : legacy;
      if (!step && !excerpt) return undefined;
      return { ...(step ? { step } : {}), ...(excerpt ? { file: excerpt.file, line: excerpt.line } : {}) };
    },
  };
}
