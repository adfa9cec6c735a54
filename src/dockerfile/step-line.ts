/**
 * Finds the Dockerfile line of a build step as the builder names it (`[3/5] RUN make`,
 * `[builder 2/4] COPY . .`, legacy `Step 3/5 : RUN make`), for error annotations that point at the
 * instruction that failed. Builders print instructions with line continuations joined and build
 * args expanded, so an instruction matches when its text does with every `$VAR`/`${VAR}` standing
 * for anything. Instructions come from the one reader (heredoc bodies are not instructions). Pure.
 */
import { readDockerfile, type Instruction } from './read.js';

export interface StepRef {
  /** `builder`, `stage-1`; absent for a single-stage build. */
  readonly stage?: string;
  /** `RUN make`, as the builder printed it. */
  readonly text: string;
  /** Legacy builder: the instruction's position in the whole Dockerfile (1-based). */
  readonly index?: number;
}

interface Located {
  readonly line: number;
  readonly keyword: string;
  /** The instruction's text, and any other way a builder prints it (see printedForms). */
  readonly args: readonly string[];
  /** The stage it belongs to (0-based) and that stage's `AS` name. */
  readonly stage: number;
  readonly stageName?: string;
}

function locate(text: string): Located[] {
  let stage = -1;
  let stageName: string | undefined;
  return readDockerfile(text).instructions.map((ins) => {
    if (ins.keyword === 'FROM') {
      stage++;
      stageName = ins.words[1]?.toLowerCase() === 'as' ? ins.words[2]?.toLowerCase() : undefined;
    }
    return { line: ins.line, keyword: ins.keyword, args: printedForms(ins), stage: Math.max(0, stage), ...(stageName ? { stageName } : {}) };
  });
}

/** The line of the instruction `step` names, when exactly that can be told. */
export function findStepLine(dockerfile: string, step: StepRef): number | undefined {
  const instructions = locate(dockerfile);
  const [keyword = '', ...rest] = step.text.trim().split(/\s+/);
  const wanted = keyword.toUpperCase();
  if (step.index !== undefined) {
    const at = instructions[step.index - 1];
    if (at?.keyword === wanted) return at.line;
  }
  const inStage = instructions.filter((ins) => matchesStage(ins, step.stage, instructions));
  const same = inStage.filter((ins) => ins.keyword === wanted);
  if (wanted === 'FROM') return same.length === 1 ? same[0]!.line : undefined;
  const args = rest.join(' ');
  const found = same.filter((ins) => ins.args.some((form) => argsPattern(form).test(args)));
  return found[0]?.line;
}

/**
 * BuildKit prints most instructions as written, but the JSON form of COPY/ADD as a Go list:
 * `COPY --chown=1:1 ["a.txt", "/dst/"]` is step `COPY --chown=1:1 [a.txt, /dst/]`.
 */
function printedForms(ins: Instruction): string[] {
  if (!ins.json || (ins.keyword !== 'COPY' && ins.keyword !== 'ADD')) return [ins.text];
  for (let at = ins.text.indexOf('['); at >= 0; at = ins.text.indexOf('[', at + 1)) {
    if (!isSameJson(ins.text.slice(at), ins.json)) continue;
    return [ins.text, `${ins.text.slice(0, at)}[${ins.json.join(', ')}]`];
  }
  return [ins.text];
}

function isSameJson(text: string, json: readonly string[]): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.length === json.length && parsed.every((v, i) => v === json[i]);
  } catch {
    return false;
  }
}

function matchesStage(ins: Located, stage: string | undefined, all: readonly Located[]): boolean {
  if (stage === undefined) {
    // BuildKit leaves out the stage only when there is one.
    return true;
  }
  const numbered = /^stage-(\d+)$/.exec(stage);
  if (numbered) return ins.stage === Number(numbered[1]);
  if (all.some((i) => i.stageName === stage.toLowerCase())) return ins.stageName === stage.toLowerCase();
  return false;
}

/** The instruction's text as a pattern: variables match anything, whitespace runs any whitespace. */
function argsPattern(args: string): RegExp {
  const parts = args.split(/(\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\s+)/).filter((p) => p !== '');
  const source = parts
    .map((part) => {
      if (part.startsWith('$')) return '.*?';
      if (/^\s+$/.test(part)) return '\\s*';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^\\s*${source}\\s*$`, 's');
}
