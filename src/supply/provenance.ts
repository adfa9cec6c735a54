/**
 * SLSA provenance v1 for one platform image, from what multiarch knows about its build: the
 * config (path and digest), the image's inputs digest and what it is made of (context and
 * Dockerfile digests, args, platform, target), every resolved base (ref()s included), the builder,
 * the prepare step, git and the run's times. Arg values appear as digests only: a value may be a
 * secret, and provenance is public. Pure.
 */
import { createHash } from 'node:crypto';
import type { InputsDetail } from '../plan/incremental/types.js';

export const BUILD_TYPE = 'https://github.com/multiarch/multiarch/blob/main/docs/supply-chain.md#buildtype-v1';

export interface ProvenanceMaterial {
  readonly image: string;
  readonly platform: string;
  /** Relative to the config's directory. */
  readonly config: { readonly path: string; readonly digest?: string };
  readonly context: string;
  readonly dockerfile: string;
  readonly target?: string;
  /** Arg name → `sha256:…` of its value; ref() args → the base digest they became. */
  readonly args: Readonly<Record<string, string>>;
  /** The inputs digest and its components, when the plan computed them. */
  readonly inputs?: { readonly digest: string; readonly detail: InputsDetail };
  readonly builder: { readonly name: string; readonly kind?: string; readonly engine?: string; readonly version?: string };
  readonly prepare?: string;
  readonly git?: { readonly revision?: string; readonly source?: string };
  readonly multiarchVersion: string;
}

export interface ProvenanceRun {
  readonly startedOn: string;
  readonly finishedOn: string;
  /** ref() args resolved at apply time: base image → the digest it was pushed as. */
  readonly refBases: ReadonlyArray<{ readonly uri: string; readonly digest: string }>;
}

export function createProvenance(m: ProvenanceMaterial, run: ProvenanceRun): unknown {
  const sha = (digest: string) => ({ sha256: digest.replace(/^sha256:/, '') });
  const bases = Object.entries(m.inputs?.detail.bases ?? {}).map(([key, digest]) => {
    const [ref, platform] = key.split(' ');
    return { uri: `docker-image://${ref}${platform ? `?platform=${encodeURIComponent(platform)}` : ''}`, digest: sha(digest) };
  });
  return {
    buildDefinition: {
      buildType: BUILD_TYPE,
      externalParameters: {
        config: { path: m.config.path, ...(m.config.digest ? { digest: sha(m.config.digest) } : {}) },
        image: m.image,
        platform: m.platform,
        context: m.context,
        dockerfile: m.dockerfile,
        ...(m.target ? { target: m.target } : {}),
        args: m.args,
      },
      internalParameters: {
        ...(m.inputs ? { inputs: m.inputs.digest, inputsDetail: m.inputs.detail } : {}),
        ...(m.prepare ? { prepare: m.prepare } : {}),
      },
      resolvedDependencies: [
        ...(m.git?.revision ? [{ uri: m.git.source ? `git+${m.git.source}` : 'git', digest: { gitCommit: m.git.revision } }] : []),
        ...(m.config.digest ? [{ uri: m.config.path, digest: sha(m.config.digest) }] : []),
        ...bases,
        ...run.refBases.map((b) => ({ uri: `docker-image://${b.uri}`, digest: sha(b.digest) })),
      ],
    },
    runDetails: {
      builder: {
        id: `https://github.com/multiarch/multiarch@${m.multiarchVersion}`,
        version: { multiarch: m.multiarchVersion, ...(m.builder.version ? { engine: m.builder.version } : {}) },
        builderDependencies: [{ uri: `builder:${m.builder.name}`, annotations: { ...(m.builder.kind ? { kind: m.builder.kind } : {}), ...(m.builder.engine ? { engine: m.builder.engine } : {}) } }],
      },
      metadata: { startedOn: run.startedOn, finishedOn: run.finishedOn },
    },
  };
}

/** `sha256:…` of an arg value: recorded without the value. */
export function argDigest(value: string): string {
  return `sha256:${createHash('sha256').update(value).digest('hex')}`;
}
