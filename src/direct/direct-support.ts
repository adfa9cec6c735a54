/**
 * Whether multiarch can carry out a Dockerfile itself: every instruction of the stages the target
 * needs is one that only changes the config or copies files (no RUN, no instruction or flag an
 * engine alone knows). The first one that is not names why the image goes to the engine. Reads
 * the Dockerfile through the shared instruction reader (inputs/dockerfile-lines.ts). Pure.
 */
import { readInstructions, type Instruction } from '../inputs/dockerfile-lines.js';

export interface DockerfileStage {
  readonly name?: string;
  readonly from: Instruction;
  readonly body: readonly Instruction[];
}

export type DirectSupport =
  | { readonly ok: true; readonly stages: readonly DockerfileStage[]; readonly target: number; readonly needed: readonly number[]; readonly globals: readonly Instruction[] }
  | { readonly ok: false; readonly instruction: string; readonly line: number; readonly why: string };

const CONFIG_ONLY = new Set(['ARG', 'ENV', 'LABEL', 'WORKDIR', 'USER', 'EXPOSE', 'VOLUME', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL', 'ENTRYPOINT', 'CMD', 'ONBUILD', 'MAINTAINER']);
const COPY_FLAGS = new Set(['from', 'chown', 'chmod', 'link']);
const ADD_FLAGS = new Set(['chown', 'chmod', 'link']);

export function directSupport(text: string, target?: string): DirectSupport {
  const { instructions, syntax } = readInstructions(text);
  const globals: Instruction[] = [];
  const stages: Array<{ name?: string; from: Instruction; body: Instruction[] }> = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const words = ins.args.filter((w) => !w.startsWith('--'));
      const name = words[1]?.toLowerCase() === 'as' ? words[2]?.toLowerCase() : undefined;
      stages.push({ ...(name ? { name } : {}), from: ins, body: [] });
    } else if (stages.length === 0) globals.push(ins);
    else stages.at(-1)!.body.push(ins);
  }
  if (stages.length === 0) return { ok: false, instruction: 'FROM', line: 1, why: 'the Dockerfile has no FROM' };
  let last = stages.length - 1;
  if (target) {
    const t = stages.findIndex((s) => s.name === target.toLowerCase());
    if (t >= 0) last = t;
  }
  const needed = new Set<number>();
  const problems: Array<Extract<DirectSupport, { ok: false }>> = [];
  const visit = (i: number) => {
    if (needed.has(i)) return;
    needed.add(i);
    const stage = stages[i]!;
    const fromRef = stage.from.args.filter((w) => !w.startsWith('--'))[0] ?? '';
    const base = stageOf(stages, fromRef, i);
    if (base !== undefined) visit(base);
    const p = checkFrom(stage.from);
    if (p) problems.push(p);
    for (const ins of stage.body) {
      const problem = checkInstruction(ins);
      if (problem) problems.push(problem);
      if (ins.keyword !== 'COPY') continue;
      const from = flagsOf(ins).from;
      if (from === undefined) continue;
      const dep = stageOf(stages, from, i);
      if (dep === undefined) problems.push({ ok: false, instruction: `COPY --from=${from}`, line: ins.line, why: 'copies from an image, not an earlier stage' });
      else visit(dep);
    }
  };
  visit(last);
  if (syntax && !/^(docker\.io\/)?docker\/dockerfile:1(\.[\d.]+)?$/.test(syntax)) {
    problems.push({ ok: false, instruction: `# syntax=${syntax}`, line: 1, why: 'a custom frontend' });
  }
  if (problems.length > 0) return problems.sort((a, b) => a.line - b.line)[0]!;
  return { ok: true, stages, target: last, needed: [...needed].sort((a, b) => a - b), globals };
}

function checkFrom(ins: Instruction): Extract<DirectSupport, { ok: false }> | undefined {
  const platform = flagsOf(ins).platform;
  if (platform !== undefined && !/^\$\{?TARGETPLATFORM\}?$/.test(platform)) {
    return { ok: false, instruction: `FROM --platform=${platform}`, line: ins.line, why: 'a base for another platform' };
  }
  return undefined;
}

function checkInstruction(ins: Instruction): Extract<DirectSupport, { ok: false }> | undefined {
  const fail = (instruction: string, why: string) => ({ ok: false as const, instruction, line: ins.line, why });
  if (CONFIG_ONLY.has(ins.keyword)) return undefined;
  if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') return fail(ins.keyword, ins.keyword === 'RUN' ? 'runs a command' : 'needs an engine');
  const allowed = ins.keyword === 'COPY' ? COPY_FLAGS : ADD_FLAGS;
  for (const flag of Object.keys(flagsOf(ins))) if (!allowed.has(flag)) return fail(`${ins.keyword} --${flag}`, 'a flag multiarch does not carry out');
  if (ins.raw.includes('<<')) return fail(`${ins.keyword} <<`, 'a heredoc');
  if (ins.keyword === 'ADD' && ins.args.some((w) => /^(https?:\/\/|git@|git:\/\/)/.test(w))) return fail('ADD <url>', 'downloads');
  return undefined;
}

/** `--name=value` flags before the first other word, by lowercase name. */
export function flagsOf(ins: Instruction): Record<string, string> {
  const flags: Record<string, string> = {};
  for (const word of ins.args) {
    if (!word.startsWith('--')) break;
    const eq = word.indexOf('=');
    flags[(eq < 0 ? word.slice(2) : word.slice(2, eq)).toLowerCase()] = eq < 0 ? 'true' : unquote(word.slice(eq + 1));
  }
  return flags;
}

/** The words after the flags. */
export function wordsOf(ins: Instruction): string[] {
  const at = ins.args.findIndex((w) => !w.startsWith('--'));
  return at < 0 ? [] : ins.args.slice(at);
}

export function stageOf(stages: ReadonlyArray<{ name?: string }>, value: string, before: number): number | undefined {
  const lower = value.toLowerCase();
  const byName = stages.findIndex((s, i) => i < before && s.name === lower);
  if (byName >= 0) return byName;
  if (/^\d+$/.test(value) && Number(value) < before) return Number(value);
  return undefined;
}

function unquote(value: string): string {
  return value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]) ? value.slice(1, -1) : value;
}
