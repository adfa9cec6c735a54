/**
 * A Dockerfile's stages for one build (build args, target platform, builder platform): each stage's
 * base as BuildKit resolves it, its instructions with the variables in scope before each one, and
 * which stages the target reaches. Scoping as BuildKit does it: global `ARG`s (before the first
 * `FROM`) are seen by `FROM` only, unless a stage re-declares them; a stage's `ARG`s and `ENV`s
 * are seen from their line on; a stage built `FROM` another inherits that stage's `ENV`s; build
 * args set only declared `ARG`s; `TARGETPLATFORM` and friends are predefined globals. What the
 * base image's own `ENV` sets is not known here: a name in no scope is reported as missing by
 * `expandIn`. Pure.
 */
import type { Dockerfile, Instruction } from './read.js';
import { flagValue, mountsOf } from './instruction.js';
import { expandWords, type MissingNames, type WordEnv } from './words.js';

export interface StageOptions {
  /** Build args; a value the caller cannot know yet may be marked, it is only substituted. */
  readonly args: Readonly<Record<string, string>>;
  /** `linux/arm64`: the platform built. */
  readonly platform: string;
  /** The builder's own platform (`$BUILDPLATFORM`). */
  readonly buildPlatform: string;
}

export interface Step {
  readonly instruction: Instruction;
  /** Variables in scope for this instruction (set before its line). */
  readonly env: WordEnv;
}

export interface Stage {
  readonly index: number;
  /** Lower case `AS` name. */
  readonly name?: string;
  /** The `FROM` image or stage name, expanded. */
  readonly from: string;
  /** Index of the earlier stage `from` names, if it names one. */
  readonly parent?: number;
  /** `--platform`, expanded, or the platform built. */
  readonly platform: string;
  readonly fromLine: number;
  /** The instructions after `FROM`. */
  readonly steps: readonly Step[];
}

export interface Stages {
  readonly globals: WordEnv;
  readonly stages: readonly Stage[];
  readonly escape: Dockerfile['escape'];
}

export function resolveStages(file: Dockerfile, options: StageOptions): Stages {
  const globals: Record<string, string | undefined> = { ...platformArgs('TARGET', options.platform), ...platformArgs('BUILD', options.buildPlatform) };
  const stages: Stage[] = [];
  let current: { stage: Omit<Stage, 'steps'>; steps: Step[]; env: Record<string, string | undefined>; envs: Record<string, string | undefined> } | undefined;
  // Each stage's ENVs at its end: what a stage built FROM it starts with.
  const finalEnv = new Map<number, Record<string, string | undefined>>();
  const close = () => {
    if (!current) return;
    finalEnv.set(current.stage.index, current.envs);
    stages.push({ ...current.stage, steps: current.steps });
  };
  for (const ins of file.instructions) {
    if (ins.keyword === 'FROM') {
      close();
      const index = stages.length;
      const from = expandWords(ins.words[0] ?? '', globals, file.escape);
      const platformFlag = flagValue(ins, 'platform');
      const name = ins.words[1]?.toLowerCase() === 'as' ? ins.words[2]?.toLowerCase() : undefined;
      const parent = stageIndex(stages, from, index);
      const inherited = parent === undefined ? {} : { ...finalEnv.get(parent) };
      current = {
        stage: { index, ...(name ? { name } : {}), from, ...(parent !== undefined ? { parent } : {}), platform: platformFlag ? expandWords(platformFlag, globals, file.escape) : options.platform, fromLine: ins.line },
        steps: [],
        env: { ...inherited },
        envs: { ...inherited },
      };
      continue;
    }
    if (!current) {
      if (ins.keyword === 'ARG') for (const [name, value] of pairs(ins, 'ARG')) globals[name] = options.args[name] ?? (value === undefined ? globals[name] : expandWords(value, globals, file.escape));
      continue;
    }
    current.steps.push({ instruction: ins, env: { ...current.env } });
    if (ins.keyword === 'ARG') {
      for (const [name, value] of pairs(ins, 'ARG')) {
        // An ENV of the same name wins over the ARG (BuildKit's rule).
        if (name in current.envs) continue;
        current.env[name] = options.args[name] ?? (value === undefined ? globals[name] : expandWords(value, current.env, file.escape));
      }
    } else if (ins.keyword === 'ENV') {
      for (const [name, value] of pairs(ins, 'ENV')) {
        const v = expandWords(value ?? '', current.env, file.escape);
        current.env[name] = v;
        current.envs[name] = v;
      }
    }
  }
  close();
  return { globals, stages, escape: file.escape };
}

/** A word of this step, expanded; names in no scope are added to `missing`. */
export function expandIn(step: Step, word: string, escape: Dockerfile['escape'], missing?: MissingNames): string {
  return expandWords(word, step.env, escape, missing);
}

/** Stage indexes the build runs, in order: the target (or last) stage and what it depends on. */
export function reachableStages(stages: readonly Stage[], target: string | undefined, escape: Dockerfile['escape'], all = false): number[] {
  let last = stages.length - 1;
  if (target) {
    const t = stages.findIndex((s) => s.name === target.toLowerCase());
    if (t >= 0) last = t;
  }
  if (all) return stages.slice(0, last + 1).map((_, i) => i);
  const seen = new Set<number>();
  const visit = (i: number) => {
    if (seen.has(i)) return;
    seen.add(i);
    for (const value of stageUses(stages[i]!, escape)) {
      const dep = stageIndex(stages, value, i);
      if (dep !== undefined) visit(dep);
    }
  };
  if (last >= 0) visit(last);
  return [...seen].sort((a, b) => a - b);
}

/** What a stage pulls from elsewhere: its `FROM`, `COPY/ADD --from=`, `RUN --mount from=` (expanded). */
export function stageUses(stage: Stage, escape: Dockerfile['escape']): string[] {
  const out = [stage.from];
  for (const step of stage.steps) {
    const ins = step.instruction;
    if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
      const from = flagValue(ins, 'from');
      if (from !== undefined) out.push(expandIn(step, from, escape));
    } else if (ins.keyword === 'RUN') {
      for (const mount of mountsOf(ins)) if (mount.from !== undefined) out.push(expandIn(step, mount.from, escape));
    }
  }
  return out;
}

/** A stage referred to by name or number, defined before stage `before`. */
export function stageIndex(stages: readonly Pick<Stage, 'name'>[], value: string, before: number): number | undefined {
  const lower = value.toLowerCase();
  const byName = stages.findIndex((s, i) => i < before && s.name === lower);
  if (byName >= 0) return byName;
  if (/^\d+$/.test(value) && Number(value) < before) return Number(value);
  return undefined;
}

/** `ARG a=1 b` / `ENV a=1 b=2`, and the legacy `ENV a 1 2` (one name, the rest its value). */
function pairs(ins: Instruction, keyword: 'ARG' | 'ENV'): Array<[string, string | undefined]> {
  const words = ins.words;
  if (keyword === 'ENV' && words.length > 0 && !words[0]!.includes('=')) {
    const rest = ins.text.slice(ins.text.indexOf(words[0]!) + words[0]!.length).trim();
    return [[words[0]!, rest]];
  }
  return words.map((word) => {
    const eq = word.indexOf('=');
    return eq < 0 ? [word, undefined] : [word.slice(0, eq), word.slice(eq + 1)];
  });
}

function platformArgs(prefix: 'TARGET' | 'BUILD', text: string): Record<string, string> {
  const [os = '', arch = '', variant = ''] = text.split('/');
  return { [`${prefix}PLATFORM`]: text, [`${prefix}OS`]: os, [`${prefix}ARCH`]: arch, [`${prefix}VARIANT`]: variant };
}
