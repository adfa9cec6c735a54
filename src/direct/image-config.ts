/**
 * The image config as Docker's builder (BuildKit) leaves it after each instruction: ENV replaces or
 * appends, ENTRYPOINT drops a CMD inherited from the base, shell forms run through SHELL, EXPOSE
 * adds `/tcp`, HEALTHCHECK durations in nanoseconds, a history entry per instruction (empty_layer
 * unless it wrote one). Pure.
 */
import type { Platform } from '../config/platform.js';

export interface ContainerConfig {
  User?: string;
  ExposedPorts?: Record<string, object>;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Volumes?: Record<string, object>;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; StartInterval?: number; Retries?: number };
  Shell?: string[];
  OnBuild?: string[] | null;
  ArgsEscaped?: boolean;
  [key: string]: unknown;
}

export interface ImageConfig {
  architecture?: string;
  os?: string;
  variant?: string;
  created?: string;
  config?: ContainerConfig;
  rootfs?: { type: string; diff_ids: string[] };
  history?: Array<{ created?: string; created_by?: string; comment?: string; empty_layer?: boolean }>;
  [key: string]: unknown;
}

export const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** What `FROM scratch` starts from. */
export function scratchConfig(platform: Platform): ImageConfig {
  return {
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    config: { Env: [DEFAULT_PATH], WorkingDir: '/' },
    rootfs: { type: 'layers', diff_ids: [] },
    history: [],
  };
}

/** A copy of the base's config to build on (the base's history and layers stay). */
export function startFrom(base: ImageConfig): ImageConfig {
  const copy = structuredClone(base);
  copy.config ??= {};
  copy.config.Env ??= [];
  // BuildKit gives every stage a PATH when its base has none.
  if (!copy.config.Env.some((e) => e.startsWith('PATH='))) copy.config.Env.unshift(DEFAULT_PATH);
  copy.rootfs ??= { type: 'layers', diff_ids: [] };
  copy.history ??= [];
  return copy;
}

export function envMap(config: ImageConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of config.config?.Env ?? []) {
    const eq = e.indexOf('=');
    if (eq > 0) out[e.slice(0, eq)] = e.slice(eq + 1);
  }
  return out;
}

export function setEnv(config: ImageConfig, key: string, value: string): void {
  const env = (config.config!.Env ??= []);
  const at = env.findIndex((e) => e.startsWith(`${key}=`));
  if (at >= 0) env[at] = `${key}=${value}`;
  else env.push(`${key}=${value}`);
}

/** `CMD echo hi` → `[...SHELL, 'echo hi']`; the JSON form as is. */
export function commandForm(config: ImageConfig, json: string[] | undefined, text: string): string[] {
  return json ?? [...(config.config?.Shell ?? ['/bin/sh', '-c']), text];
}

/** `80`, `53/udp`, `8000-8001` → `80/tcp`, `53/udp`, `8000/tcp`, `8001/tcp`. */
export function exposedPorts(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const word of words) {
    const [ports = '', proto = 'tcp'] = word.split('/');
    const [start, end] = ports.split('-').map(Number);
    for (let p = start!; p <= (end ?? start!); p++) out.push(`${p}/${proto.toLowerCase()}`);
  }
  return out;
}

/** Go durations as HEALTHCHECK flags take them (`30s`, `1m30s`, `500ms`) → nanoseconds. */
export function parseDuration(text: string): number {
  const units: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  let total = 0;
  for (const m of text.matchAll(/([\d.]+)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * units[m[2]!]!;
  return Math.round(total);
}

export function addHistory(config: ImageConfig, createdBy: string, created: string, emptyLayer: boolean): void {
  (config.history ??= []).push({ created, created_by: createdBy, comment: 'buildkit.dockerfile.v0', ...(emptyLayer ? { empty_layer: true } : {}) });
}
