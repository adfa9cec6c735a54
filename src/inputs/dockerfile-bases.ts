/**
 * The images a Dockerfile build pulls, per target platform: every `FROM` (with global `ARG`s and
 * build args substituted, `--platform` honoured), `COPY --from=<image>`, `RUN --mount=from=<image>`
 * and the `# syntax=` frontend, limited to the stages the build target needs. Args whose value is a
 * `ref()` (known only once the base image is pushed) are reported separately. Pure.
 */
import { formatPlatform, type Platform } from '../config/platform.js';
import { expandWords } from './shell-words.js';
import { readInstructions, type Instruction } from './dockerfile-lines.js';

export interface BaseImageUse {
  /** The reference as the build resolves it, args substituted: `node:20`, `127.0.0.1:5000/x:y`. */
  readonly ref: string;
  /** The platform it is pulled for. */
  readonly platform: string;
  readonly via: 'FROM' | 'COPY --from' | 'RUN --mount' | 'syntax';
}

export interface DockerfileBasesOptions {
  /** Build args; `null` for an arg whose value is a ref() to another image of the config. */
  readonly args: Readonly<Record<string, string | null>>;
  readonly platform: Platform;
  /** The builder's own platform (`$BUILDPLATFORM`). */
  readonly buildPlatform: string;
  readonly target?: string;
  /** The legacy builder builds every stage up to the target; BuildKit only the ones it needs. */
  readonly allStages?: boolean;
}

export interface DockerfileBases {
  readonly bases: readonly BaseImageUse[];
  /** ref() args that name an image used by the build. */
  readonly refArgs: readonly string[];
}

interface Stage {
  readonly name?: string;
  readonly from: string;
  readonly platform: string;
  readonly uses: Array<{ readonly value: string; readonly via: BaseImageUse['via'] }>;
}

const REF_MARK = '\u0000ref:';

/** A Dockerfile is read once however many platforms are built from it. */
const parsed = new Map<string, ReturnType<typeof readInstructions>>();

export function dockerfileBases(text: string, options: DockerfileBasesOptions): DockerfileBases {
  let read = parsed.get(text);
  if (!read) {
    read = readInstructions(text);
    if (parsed.size < 10_000) parsed.set(text, read);
  }
  const { instructions, syntax } = read;
  const target = formatPlatform(options.platform);
  const auto = platformArgs('TARGET', target, options.platform);
  const build = platformArgs('BUILD', options.buildPlatform);
  const given = (name: string): string | undefined => {
    const v = options.args[name];
    return v === null ? `${REF_MARK}${name}\u0000` : v;
  };
  const globals: Record<string, string | undefined> = { ...auto, ...build };
  const stages: Stage[] = [];
  let stageArgs: Record<string, string | undefined> = {};
  for (const ins of instructions) {
    if (ins.keyword === 'ARG') {
      for (const [name, value] of declaredArgs(ins)) {
        const scope = stages.length === 0 ? globals : stageArgs;
        const outer = stages.length === 0 ? undefined : globals[name];
        scope[name] = given(name) ?? (value === undefined ? outer : expandWords(value, { ...globals, ...stageArgs }));
      }
    } else if (ins.keyword === 'FROM') {
      const { flags, words } = splitFlags(ins.args);
      const image = expandWords(words[0] ?? '', globals);
      const platform = flags.platform ? expandWords(flags.platform, globals) : target;
      const name = words[1]?.toLowerCase() === 'as' ? words[2]?.toLowerCase() : undefined;
      stages.push({ ...(name ? { name } : {}), from: image, platform, uses: [] });
      stageArgs = {};
    } else if (stages.length > 0 && (ins.keyword === 'COPY' || ins.keyword === 'ADD')) {
      const from = splitFlags(ins.args).flags.from;
      if (from) stages.at(-1)!.uses.push({ value: expandWords(from, { ...globals, ...stageArgs }), via: 'COPY --from' });
    } else if (stages.length > 0 && ins.keyword === 'RUN') {
      for (const mount of splitFlags(ins.args).mounts) {
        const from = /(?:^|,)from=([^,]+)/.exec(mount)?.[1];
        if (from) stages.at(-1)!.uses.push({ value: expandWords(from, { ...globals, ...stageArgs }), via: 'RUN --mount' });
      }
    }
  }
  const needed = neededStages(stages, options.target, options.allStages === true);
  const bases: BaseImageUse[] = [];
  const refArgs = new Set<string>();
  const add = (value: string, platform: string, via: BaseImageUse['via']) => {
    const marks = [...value.matchAll(/\u0000ref:([^\u0000]*)\u0000/g)].map((m) => m[1]!);
    if (marks.length > 0) {
      for (const m of marks) refArgs.add(m);
      return;
    }
    if (value === '' || value.toLowerCase() === 'scratch') return;
    if (!bases.some((b) => b.ref === value && b.platform === platform && b.via === via)) bases.push({ ref: value, platform, via });
  };
  if (syntax) add(syntax, options.buildPlatform, 'syntax');
  for (const i of needed) {
    const stage = stages[i]!;
    if (stageIndex(stages, stage.from, i) === undefined) add(stage.from, stage.platform, 'FROM');
    for (const use of stage.uses) if (stageIndex(stages, use.value, i) === undefined) add(use.value, stage.platform, use.via);
  }
  return { bases, refArgs: [...refArgs] };
}

/** Stage indexes the build runs, in order. */
function neededStages(stages: readonly Stage[], target: string | undefined, all: boolean): number[] {
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
    const stage = stages[i]!;
    for (const value of [stage.from, ...stage.uses.map((u) => u.value)]) {
      const dep = stageIndex(stages, value, i);
      if (dep !== undefined) visit(dep);
    }
  };
  if (last >= 0) visit(last);
  return [...seen].sort((a, b) => a - b);
}

/** A stage referred to by name or number, defined before stage `before`. */
function stageIndex(stages: readonly Stage[], value: string, before: number): number | undefined {
  const lower = value.toLowerCase();
  const byName = stages.findIndex((s, i) => i < before && s.name === lower);
  if (byName >= 0) return byName;
  if (/^\d+$/.test(value) && Number(value) < before) return Number(value);
  return undefined;
}

function declaredArgs(ins: Instruction): Array<[string, string | undefined]> {
  return ins.args.map((word) => {
    const eq = word.indexOf('=');
    return eq < 0 ? [word, undefined] : [word.slice(0, eq), unquote(word.slice(eq + 1))];
  });
}

function splitFlags(args: readonly string[]): { flags: Record<string, string>; mounts: string[]; words: string[] } {
  const flags: Record<string, string> = {};
  const mounts: string[] = [];
  let i = 0;
  for (; i < args.length && args[i]!.startsWith('--'); i++) {
    const [key, ...rest] = args[i]!.slice(2).split('=');
    const value = unquote(rest.join('='));
    if (key === 'mount') mounts.push(value);
    else flags[key!.toLowerCase()] = value;
  }
  return { flags, mounts, words: args.slice(i) };
}

function unquote(value: string): string {
  return value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]) ? value.slice(1, -1) : value;
}

function platformArgs(prefix: 'TARGET' | 'BUILD', text: string, parsed?: Platform): Record<string, string> {
  const [os = '', arch = '', variant = ''] = text.split('/');
  const p = parsed ?? { os, architecture: arch, ...(variant ? { variant } : {}) };
  return {
    [`${prefix}PLATFORM`]: text,
    [`${prefix}OS`]: p.os,
    [`${prefix}ARCH`]: p.architecture,
    [`${prefix}VARIANT`]: p.variant ?? '',
  };
}
