/**
 * The instructions that only change the image config, applied as BuildKit applies them: values
 * expanded with the ARGs and ENV in scope before the instruction, JSON forms as written, shell
 * forms through SHELL. Pure (works on the stage's config object).
 */
import type { Instruction } from '../inputs/dockerfile-lines.js';
import { expandWords, splitWords } from '../dockerfile/words.js';
import { commandForm, exposedPorts, parseDuration, setEnv, type ImageConfig } from './image-config.js';
import { flagsOf, wordsOf } from './direct-support.js';

export function applyConfigInstruction(config: ImageConfig, ins: Instruction, env: Record<string, string>, state: { cmdSet: boolean }): void {
  const c = (config.config ??= {});
  const expand = (w: string) => expandWords(w, env);
  switch (ins.keyword) {
    case 'ENV':
      for (const [k, v] of pairs(ins, expand)) setEnv(config, k, v);
      return;
    case 'LABEL':
      c.Labels = { ...c.Labels };
      for (const [k, v] of pairs(ins, expand)) c.Labels[k] = v;
      return;
    case 'USER':
      c.User = expand(ins.args[0] ?? '');
      return;
    case 'EXPOSE':
      c.ExposedPorts = { ...c.ExposedPorts };
      for (const p of exposedPorts(ins.args.map(expand))) c.ExposedPorts[p] = {};
      return;
    case 'VOLUME':
      c.Volumes = { ...c.Volumes };
      for (const v of jsonForm(ins.raw) ?? ins.args.map(expand)) c.Volumes[v] = {};
      return;
    case 'STOPSIGNAL':
      c.StopSignal = expand(ins.args[0] ?? '');
      return;
    case 'SHELL':
      c.Shell = jsonForm(ins.raw) ?? [];
      return;
    case 'CMD':
      c.Cmd = commandForm(config, jsonForm(ins.raw), ins.raw);
      state.cmdSet = true;
      if (!jsonForm(ins.raw)) c.ArgsEscaped = true;
      return;
    case 'ENTRYPOINT':
      c.Entrypoint = commandForm(config, jsonForm(ins.raw), ins.raw);
      // An ENTRYPOINT drops the CMD the base set; one set in this stage stays.
      if (!state.cmdSet) c.Cmd = null;
      return;
    case 'HEALTHCHECK':
      c.Healthcheck = healthcheck(config, ins);
      return;
    case 'ONBUILD':
      c.OnBuild = [...(c.OnBuild ?? []), ins.raw];
      return;
    default:
      return;
  }
}

function healthcheck(config: ImageConfig, ins: Instruction): NonNullable<NonNullable<ImageConfig['config']>['Healthcheck']> {
  const words = wordsOf(ins);
  if ((words[0] ?? '').toUpperCase() === 'NONE') return { Test: ['NONE'] };
  const flags = flagsOf(ins);
  const rest = ins.raw.replace(/^(--\S+\s+)*/, '').replace(/^CMD\s+/i, '');
  const json = jsonForm(rest);
  return {
    Test: json ? ['CMD', ...json] : ['CMD-SHELL', rest],
    ...(flags.interval ? { Interval: parseDuration(flags.interval) } : {}),
    ...(flags.timeout ? { Timeout: parseDuration(flags.timeout) } : {}),
    ...(flags['start-period'] ? { StartPeriod: parseDuration(flags['start-period']) } : {}),
    ...(flags['start-interval'] ? { StartInterval: parseDuration(flags['start-interval']) } : {}),
    ...(flags.retries ? { Retries: Number(flags.retries) } : {}),
  };
}

/** `ENV a=1 b="x y"` or the legacy `ENV a some value`. */
export function pairs(ins: Instruction, expand: (w: string) => string): Array<[string, string]> {
  const words = splitWords(ins.raw);
  if (words.length > 0 && !words[0]!.includes('=')) {
    const key = words[0]!;
    return [[key, expand(ins.raw.slice(ins.raw.indexOf(key) + key.length).trim())]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    return [expand(w.slice(0, eq)), expand(w.slice(eq + 1))];
  });
}

/** `["a", "b"]` as an array; undefined when the text is not a JSON array of strings. */
export function jsonForm(raw: string): string[] | undefined {
  if (!raw.trimStart().startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) && parsed.every((x) => typeof x === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}
