/**
 * The images a Dockerfile build pulls, per target platform: every `FROM` (with global `ARG`s and
 * build args substituted, `--platform` honoured), `COPY --from=<image>`, `RUN --mount=from=<image>`
 * and the `# syntax=` frontend, limited to the stages the build target needs. Args whose value is a
 * `ref()` (known only once the base image is pushed) are reported separately. Pure.
 */
import { formatPlatform, type Platform } from '../config/platform.js';
import { flagValue, mountsOf } from '../dockerfile/instruction.js';
import { readDockerfile } from '../dockerfile/read.js';
import { expandIn, reachableStages, resolveStages, stageIndex } from '../dockerfile/stages.js';

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

const REF_MARK = '\u0000ref:';

export function dockerfileBases(text: string, options: DockerfileBasesOptions): DockerfileBases {
  const file = readDockerfile(text);
  const args: Record<string, string> = {};
  for (const [name, v] of Object.entries(options.args)) args[name] = v === null ? `${REF_MARK}${name}\u0000` : v;
  const { stages, escape } = resolveStages(file, { args, platform: formatPlatform(options.platform), buildPlatform: options.buildPlatform });
  const needed = reachableStages(stages, options.target, escape, options.allStages === true);
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
  if (file.syntax) add(file.syntax, options.buildPlatform, 'syntax');
  for (const i of needed) {
    const stage = stages[i]!;
    if (stage.parent === undefined) add(stage.from, stage.platform, 'FROM');
    for (const step of stage.steps) {
      const ins = step.instruction;
      const values: Array<[string, BaseImageUse['via']]> = [];
      if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
        const from = flagValue(ins, 'from');
        if (from !== undefined) values.push([expandIn(step, from, escape), 'COPY --from']);
      } else if (ins.keyword === 'RUN') {
        for (const mount of mountsOf(ins)) if (mount.from !== undefined) values.push([expandIn(step, mount.from, escape), 'RUN --mount']);
      }
      for (const [value, via] of values) if (stageIndex(stages, value, i) === undefined) add(value, stage.platform, via);
    }
  }
  return { bases, refArgs: [...refArgs] };
}
