/**
 * The Builder port on the local Docker engine: runs the build for one platform, streams its steps,
 * and refuses a result whose platform is not the one asked for (the exec-format-error trap: a
 * builder that quietly reused another platform's layers or base).
 */
import { unreachableRegistry } from './unreachable-registry.js';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import type { Builder, BuildIo, BuildSpec, BuiltImage } from '../exec/ports/builder.js';
import { DEFAULT_BUILDER, describeEndpoint, type ResolvedBuilder } from '../config/builders.js';
import { formatPlatform, parsePlatform, samePlatform } from '../config/platform.js';
import { MultiarchError } from '../errors/multiarch-error.js';
import { registerSecretSources } from '../sys/read-secret.js';
import { createBuildLogScan, type BuildFailure } from './build-log.js';
import { parseBuildStep } from './build-progress.js';
import { findStepLine } from '../dockerfile/step-line.js';
import { toBuildCommand } from './build-command.js';
import { buildxHasAttestations, describeChoice, type BuilderChoice } from './choose-builder.js';
import { docker, type DockerClient } from './client.js';
import { endpointEnv } from './endpoint.js';
import { inspectImage } from './inspect-image.js';
import { makeRunTempDir } from '../sys/run-owner.js';
import { dockerfileWithIgnore } from './build-ignore-file.js';

/** The Builder on `target`'s engine (the ambient one by default): every call goes through its host or context. */
export function createDockerBuilder(choice: BuilderChoice, target?: ResolvedBuilder): Builder & { readonly client: DockerClient } {
  const client: DockerClient = { binary: choice.client.binary, version: choice.client.version, env: target ? endpointEnv(target.docker) : {} };
  const on = builderSuffix(target);
  return {
    kind: choice.kind,
    description: `${describeChoice(choice)}${on}`,
    parallelSafe: choice.kind !== 'legacy',
    client,
    async build(spec: BuildSpec, io: BuildIo): Promise<BuiltImage> {
      // Values are registered for redaction before a build could echo one.
      const missing = await registerSecretSources(spec.secrets, process.env);
      if (missing.length > 0) {
        throw new MultiarchError('E_BUILD_FAILED', `the ${formatPlatform(spec.platform)} build${on} cannot get its secrets`, {
          details: missing,
          hint: 'set the environment variable or create the file the config names under secrets',
        });
      }
      // Under this run's folder: what a killed run leaves there, the next run removes (sys/run-owner.ts).
      const dir = await makeRunTempDir('build-');
      try {
        const iidFile = path.join(dir, 'iid');
        const dockerfile = await dockerfileWithIgnore(spec, choice.kind, dir);
        const command = toBuildCommand({ ...spec, dockerfile }, {
          kind: choice.kind,
          iidFile,
          attestationFlags: choice.client.buildx ? buildxHasAttestations(choice.client.buildx) : false,
        });
        const scan = createBuildLogScan();
        const result = await docker(client, command.args, {
          env: command.env,
          signal: io.signal,
          onLine: (line) => {
            io.onLine(line);
            scan.push(line);
            const step = parseBuildStep(line);
            if (step) io.onStep(step);
          },
        });
        if (result.canceled) throw new MultiarchError('E_CANCELED', `build of ${formatPlatform(spec.platform)} canceled`);
        if (result.exitCode !== 0 && isUnreachable(result.tail)) {
          throw new MultiarchError('E_BUILDER_UNREACHABLE', `the engine${on} stopped answering during the ${formatPlatform(spec.platform)} build`, {
            details: result.tail.slice(-5),
            hint: 'check that the engine is up and reachable from here (docker version with the same host or context)',
          });
        }
        const registry = result.exitCode !== 0 ? unreachableRegistry(result.tail) : undefined;
        if (registry) {
          throw new MultiarchError('E_REGISTRY_UNREACHABLE', `the ${formatPlatform(spec.platform)} build${on} cannot reach the registry ${registry}`, {
            details: result.tail.slice(-5),
            registry,
            hint: `check that ${registry} is up and reachable from the engine, then run again (what is already built is kept)`,
          });
        }
        if (result.exitCode !== 0) {
          throw new MultiarchError('E_BUILD_FAILED', `docker build for ${formatPlatform(spec.platform)}${on} failed (exit ${result.exitCode})`, {
            details: result.tail.slice(-20),
            hint: buildHint(result.tail),
            ...(await failureLocation(spec.dockerfile, scan.failure())),
          });
        }
        const imageId = (await readFile(iidFile, 'utf8')).trim();
        const info = await inspectImage(client, imageId, io.signal);
        const want = spec.platform;
        const got = parsePlatform(formatPlatform(info.platform));
        if (!got.ok || !samePlatform(got.platform, want)) {
          throw new MultiarchError(
            'E_PLATFORM_MISMATCH',
            `the ${formatPlatform(want)} build produced a ${formatPlatform(info.platform)} image`,
            {
              hint:
                choice.kind === 'legacy'
                  ? 'the legacy builder cannot build FROM scratch for a foreign platform; install buildx or use a docker client with BuildKit (DOCKER_BUILDKIT=1)'
                  : 'check that the base image offers this platform',
            },
          );
        }
        const problems = scan.cacheProblems();
        return {
          imageId,
          ...(scan.fullyCached() ? { cached: true } : {}),
          steps: scan.stepCounts(),
          ...(problems.length > 0 ? { cacheProblems: problems } : {}),
          ...(info.diffIds.length > 0 ? { diffIds: info.diffIds } : {}),
        };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** ` on builder "linux/arm64" (ssh://…)` for messages; empty for the ambient default engine. */
function builderSuffix(target: ResolvedBuilder | undefined): string {
  if (!target || (target.name === DEFAULT_BUILDER && !target.docker.host && !target.docker.context)) return '';
  return ` on builder "${target.name}" (${describeEndpoint(target.docker)})`;
}

function isUnreachable(tail: readonly string[]): boolean {
  return /Cannot connect to the Docker daemon|error during connect/i.test(tail.join('\n'));
}

/** The Dockerfile line of the step that failed: as BuildKit named it, or found from the step's text. */
async function failureLocation(dockerfile: string, failure: BuildFailure | undefined) {
  if (!failure) return {};
  if (failure.line !== undefined && (!failure.file || path.basename(dockerfile) === path.basename(failure.file))) {
    return { location: { file: dockerfile, line: failure.line } };
  }
  if (!failure.step) return {};
  const text = await readFile(dockerfile, 'utf8').catch(() => undefined);
  const line = text === undefined ? undefined : findStepLine(text, failure.step);
  return line === undefined ? {} : { location: { file: dockerfile, line } };
}

/** The one thing most build failures across platforms come down to, when it can be told. */
function buildHint(tail: readonly string[]): string | undefined {
  const text = tail.join('\n');
  if (/exec format error/i.test(text)) {
    return 'a binary for another architecture ran during the build: register QEMU (apt-get install qemu-user-static binfmt-support) or cross-compile on the host';
  }
  if (/no match for platform in manifest|does not match the specified platform/i.test(text)) {
    return 'the base image has no variant for this platform: pick a multi-arch base or drop the platform';
  }
  if (/failed to solve|failed to compute cache key|not found/i.test(text)) return 'see the build output above';
  return undefined;
}
