/**
 * Which engine runs each platform, and how: the builder the config routes a platform to, what the
 * shell observed of that builder's engine (reachable? native platform? emulators?), and from that
 * whether a build there is native or emulated. Pure.
 */
import { builderFor, type ResolvedBuilder, type ResolvedBuilders } from '../config/builders.js';
import { formatPlatform, qemuArch, type Platform } from '../config/platform.js';
import type { ResolvedConfig } from '../config/resolved.js';
import type { BuildNode, EngineFacts, PlanFacts } from './nodes.js';
import type { ResolvedSelection } from './selection.js';

/** A builder with no endpoint of its own runs on the engine the environment points at. */
export function isAmbient(builder: ResolvedBuilder): boolean {
  return !builder.docker.host && !builder.docker.context;
}

/** The facts about the engine behind `builder`, from its own probe or (ambient) the local one. */
export function engineFacts(builder: ResolvedBuilder, facts: PlanFacts): EngineFacts | undefined {
  const own = facts.engines?.[builder.name];
  if (own) return own;
  if (isAmbient(builder) && facts.builder) {
    return { reachable: true, nativePlatform: facts.builder.nativePlatform, emulated: facts.builder.emulated };
  }
  return undefined;
}

/** The builders the selected images' selected platforms build on: the engines to reach first. */
export function usedBuilders(config: ResolvedConfig, selection: ResolvedSelection): ResolvedBuilder[] {
  const used = new Map<string, ResolvedBuilder>();
  for (const name of selection.images) {
    for (const platform of config.images[name]!.platforms) {
      if (selection.platforms && !selection.platforms.has(formatPlatform(platform))) continue;
      const builder = builderFor(config.builders, platform);
      used.set(builder.name, builder);
    }
  }
  return [...used.values()];
}

export interface Placement {
  readonly builder: ResolvedBuilder;
  readonly runs?: BuildNode['runs'];
}

export function placeBuild(builders: ResolvedBuilders, platform: Platform, facts: PlanFacts): Placement {
  const builder = builderFor(builders, platform);
  const engine = engineFacts(builder, facts);
  const runs = engine?.reachable ? runsOn(platform, engine) : undefined;
  return { builder, ...(runs ? { runs } : {}) };
}

export function runsOn(platform: Platform, engine: { readonly nativePlatform: string; readonly emulated?: readonly string[] }): BuildNode['runs'] {
  if (formatPlatform(platform) === engine.nativePlatform) return 'native';
  // 32-bit arm runs natively on most arm64 hosts, 386 on amd64; otherwise it needs a binfmt handler.
  if (engine.nativePlatform === 'linux/amd64' && platform.architecture === '386') return 'native';
  // A remote engine's emulators cannot be seen from here: count on them, as `docker build` would.
  if (engine.emulated === undefined) return 'emulated';
  return engine.emulated.includes(qemuArch(platform)) ? 'emulated' : 'no-emulator';
}
