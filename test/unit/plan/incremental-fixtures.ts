/** Facts for incremental planning tests: inputs per image, and a registry that holds a given plan's images. */
import { createHash } from 'node:crypto';
import { formatPlatform } from '../../../src/config/platform.js';
import { computeBuildInputs, prepareOf, type BuildInputs } from '../../../src/plan/incremental/inputs-digest.js';
import type { IncrementalFacts, InputsFacts, RegistryFacts, TagState } from '../../../src/plan/incremental/types.js';
import type { Plan, PlanFacts } from '../../../src/plan/nodes.js';
import { localConfig, plan, THREE } from './fixtures.js';

export const BUSYBOX = '127.0.0.1:5000/hermetic/busybox:latest';

export const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

export interface World {
  files: Record<string, Record<string, string>>;
  dockerfiles: Record<string, string>;
  busybox: Record<string, string>;
}

export function world(): World {
  return {
    files: {
      base: { Dockerfile: `f 644 ${sha('FROM busybox')}`, 'etc/motd': `f 644 ${sha('hi')}` },
      web: { Dockerfile: `f 644 ${sha('FROM base')}`, 'app.sh': `f 755 ${sha('echo')}`, src: 'd 755', 'src/a.txt': `f 644 ${sha('a')}` },
    },
    dockerfiles: { base: sha('FROM busybox'), web: sha('ARG BASE\nFROM $BASE') },
    busybox: Object.fromEntries(THREE.map((p) => [p, sha(`busybox ${p}`)])),
  };
}

export function inputsFacts(w: World, p: Plan): InputsFacts {
  const images: Record<string, InputsFacts['images'][string]> = {};
  for (const [name, files] of Object.entries(w.files)) {
    const context = sha(Object.entries(files).map(([k, v]) => `${k}\0${v}`).join('\n'));
    images[name] = { context, dockerfile: w.dockerfiles[name]!, files };
  }
  const bases: Record<string, InputsFacts['bases'][string]> = {};
  for (const id of p.order) {
    const n = p.nodes[id]!;
    if (n.kind === 'build' && n.image === 'base') {
      const platform = formatPlatform(n.platform);
      bases[id] = [{ ref: BUSYBOX, platform, digest: w.busybox[platform]! }];
    }
  }
  return { builder: 'buildkit', images, bases };
}

export const emptyRegistry = (): RegistryFacts => ({ source: 'registry', tags: {}, manifests: {}, details: {}, files: {} });

/** A registry holding exactly what applying `applied` (an incremental plan's base plan + facts) publishes. */
export function registryAfter(base: Plan, inputs: InputsFacts, w: World): RegistryFacts {
  // As apply publishes: each image's digest follows from its inputs; ref() args get the base's digest.
  const computed: Record<string, BuildInputs> = {};
  const digestOf = (buildId: string) => sha(`image ${computed[buildId]!.digest}`);
  for (const id of base.order) {
    const n = base.nodes[id]!;
    if (n.kind !== 'build') continue;
    computed[id] = computeBuildInputs(n, inputs, (arg) => {
      const push = base.nodes[arg.ref.node]!;
      return digestOf(push.kind === 'push' ? push.build : '');
    }, prepareOf(base, n));
  }
  const tags: Record<string, TagState | null> = {};
  for (const n of Object.values(base.nodes)) {
    if (n.kind !== 'push') continue;
    const inputsDigest = computed[n.build]!.digest;
    for (const r of n.refs) {
      tags[`${n.target.host}/${r.repository}:${r.tag}`] = { digest: digestOf(n.build), mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 500, inputs: inputsDigest };
    }
  }
  for (const n of Object.values(base.nodes)) {
    if (n.kind !== 'index') continue;
    const children = n.children.map((c) => {
      const push = base.nodes[c.push]!;
      const build = push.kind === 'push' ? push.build : '';
      return { platform: formatPlatform(c.platform), digest: digestOf(build), mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 500, inputs: computed[build]!.digest };
    });
    tags[`${n.target.host}/${n.repository}:${n.indexTag}`] = { digest: sha(JSON.stringify(children)), mediaType: 'application/vnd.oci.image.index.v1+json', size: 900, children };
  }
  const details = Object.fromEntries(Object.values(computed).map((c) => [c.digest, c.detail]));
  const files = Object.fromEntries(Object.values(inputs.images).map((i) => [i.context, i.files!]));
  void w;
  return { source: 'registry', tags, manifests: {}, details, files };
}

export function incrementalPlan(input: unknown, incremental: (base: Plan) => IncrementalFacts, facts: PlanFacts = {}): Plan {
  const base = plan(input, facts);
  return plan(input, { ...facts, incremental: incremental(base) });
}

export { localConfig };
