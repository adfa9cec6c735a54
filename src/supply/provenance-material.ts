/**
 * What each push's provenance is made of, read off the plan (its build node, the inputs the plan
 * computed, its builder and engine, its prepare step, git): built once by the shell for the run,
 * so steps need not see the plan. Pure.
 */
import path from 'node:path';
import { formatPlatform } from '../config/platform.js';
import type { BuildNode, Plan } from '../plan/nodes.js';
import { argDigest, type ProvenanceMaterial } from './provenance.js';

export interface PushProvenance {
  readonly material: ProvenanceMaterial;
  /** ref() args: resolved at apply time from the base's push (arg name → push node id and repository). */
  readonly refs: ReadonlyArray<{ readonly arg: string; readonly node: string; readonly repository: string }>;
}

export function provenanceMaterials(plan: Plan, multiarchVersion: string, configDigest: string | undefined): Record<string, PushProvenance> {
  const out: Record<string, PushProvenance> = {};
  const dir = path.dirname(plan.configFile);
  const rel = (p: string) => path.relative(dir, p) || '.';
  for (const node of Object.values(plan.nodes)) {
    if (node.kind !== 'push' || !node.attest?.provenance) continue;
    const build = plan.nodes[node.build] as BuildNode | undefined;
    if (build?.kind !== 'build') continue;
    const args: Record<string, string> = {};
    const refs: PushProvenance['refs'][number][] = [];
    for (const [name, value] of Object.entries(build.args)) {
      if (typeof value === 'string') args[name] = argDigest(value);
      else refs.push({ arg: name, node: value.ref.node, repository: value.ref.repository });
    }
    const change = plan.changes?.platforms[build.id];
    const engine = plan.facts.engines?.[build.builder];
    const prepare = build.deps.map((d) => plan.nodes[d]).find((n) => n?.kind === 'prepare');
    const git = plan.facts.git;
    out[node.id] = {
      refs,
      material: {
        image: build.image,
        platform: formatPlatform(build.platform),
        config: { path: path.basename(plan.configFile), ...(configDigest ? { digest: configDigest } : {}) },
        context: rel(build.context),
        dockerfile: rel(build.dockerfile),
        ...(build.target ? { target: build.target } : {}),
        args,
        ...(change ? { inputs: { digest: change.inputs, detail: change.detail } } : {}),
        builder: {
          name: build.builder,
          ...(plan.facts.builder ? { kind: plan.facts.builder.kind } : {}),
          ...(engine?.reachable && engine.host ? { engine: engine.host } : {}),
          ...(engine?.reachable && engine.version ? { version: engine.version } : {}),
        },
        ...(prepare?.kind === 'prepare' ? { prepare: prepare.source.hash } : {}),
        ...(git ? { git: { ...(git.revision ? { revision: git.revision } : {}), ...(git.source ? { source: git.source } : {}) } } : {}),
        multiarchVersion,
      },
    };
  }
  return out;
}
