/**
 * The `docker build` argv for one platform, per builder kind. Pure.
 * - buildx: `--load` into the engine, attestations off (`--provenance=false --sbom=false`) so the
 *   image is one manifest and no `unknown/unknown` entry can reach an index.
 * - classic BuildKit (`DOCKER_BUILDKIT=1` on clients before 23): platform-aware, no attestations.
 * - legacy builder: its layer cache ignores the platform and it keeps whatever base a tag last
 *   pulled, so it always gets `--pull`, and the TARGET* args BuildKit would set automatically.
 */
import { formatPlatform } from '../config/platform.js';
import type { BuilderKind, BuildSpec } from '../exec/ports/builder.js';
import { cacheFlags } from './cache-flags.js';

export interface BuildCommand {
  readonly args: string[];
  readonly env: Record<string, string>;
}

export interface BuildCommandOptions {
  readonly kind: BuilderKind;
  readonly iidFile: string;
  /** buildx >= 0.10 understands --provenance/--sbom. */
  readonly attestationFlags?: boolean;
}

export function toBuildCommand(spec: BuildSpec, options: BuildCommandOptions): BuildCommand {
  const platform = formatPlatform(spec.platform);
  const args: string[] = [];
  const env: Record<string, string> = {};
  if (options.kind === 'buildx') {
    args.push('buildx', 'build', '--load', '--progress=plain');
    if (options.attestationFlags) args.push('--provenance=false', '--sbom=false');
  } else if (options.kind === 'buildkit') {
    env.DOCKER_BUILDKIT = '1';
    args.push('build', '--progress=plain');
  } else {
    env.DOCKER_BUILDKIT = '0';
    args.push('build', '--pull');
  }
  args.push('--platform', platform, '--iidfile', options.iidFile, '--tag', spec.tag, '--file', spec.dockerfile);
  const buildArgs: Record<string, string> = { ...(options.kind === 'legacy' ? targetArgs(spec) : {}), ...spec.args };
  for (const [key, value] of Object.entries(buildArgs)) args.push('--build-arg', `${key}=${value}`);
  for (const [key, value] of Object.entries(spec.labels)) args.push('--label', `${key}=${value}`);
  if (spec.target) args.push('--target', spec.target);
  args.push(...cacheFlags(spec.cache, options.kind));
  // The docker client reads each value itself (from its env or the file): never in argv.
  for (const [id, source] of Object.entries(spec.secrets ?? {})) args.push('--secret', 'env' in source ? `id=${id},env=${source.env}` : `id=${id},src=${source.file}`);
  for (const [id, source] of Object.entries(spec.ssh ?? {})) args.push('--ssh', source.socket ? `${id}=${source.socket}` : id);
  args.push(spec.context);
  return { args, env };
}

/** The automatic platform args of BuildKit, for the legacy builder. */
function targetArgs(spec: BuildSpec): Record<string, string> {
  return {
    TARGETPLATFORM: formatPlatform(spec.platform),
    TARGETOS: spec.platform.os,
    TARGETARCH: spec.platform.architecture,
    TARGETVARIANT: spec.platform.variant ?? '',
  };
}
