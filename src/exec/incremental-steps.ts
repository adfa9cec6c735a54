/**
 * The step table for an incremental plan: what the plan found current is not run — its builds,
 * tests and pushes end as `cached` at once (no builder, no context upload, no registry write),
 * pushes of images published elsewhere become registry-side copies or retags, and an index whose
 * children are all unchanged is left as it is. Everything written is also noted for the state
 * store, so the next plan knows it without asking. Edge.
 */
import { formatImageRef } from '../config/registry-url.js';
import { formatPlatform } from '../config/platform.js';
import { MEDIA } from '../image/media-types.js';
import { finalizeInputs } from '../plan/incremental/inputs-digest.js';
import { INPUTS_DETAIL_LABEL, INPUTS_LABEL, type InputsDetail, type PlatformChange } from '../plan/incremental/types.js';
import type { IndexNode, Plan, PushNode, TargetSpec } from '../plan/nodes.js';
import { storedImageSource } from '../publish/image-sources.js';
import { publishImage } from '../publish/publish-image.js';
import type { AppliedState } from '../state/record-applied.js';
import type { StepContext, StepResult, StepTable } from './execute.js';
import type { BuildOutput, IndexOutput, PushOutput, StepServices } from './steps/services.js';

export function withChanges(plan: Plan, steps: StepTable, services: StepServices): { steps: StepTable; applied: AppliedState } {
  const applied: AppliedState = { tags: {}, inputs: {}, details: {}, indexes: {} };
  const changes = plan.changes;
  if (!changes) return { steps, applied };
  const platformOf = (buildId: string): PlatformChange | undefined => changes.platforms[buildId];
  const isBuilt = (buildId: string) => {
    const action = platformOf(buildId)?.action;
    return action === undefined || action === 'create' || action === 'rebuild';
  };
  // Inputs as built: ref() args hold the digest the base was really pushed as.
  const built = new Map<string, { digest: string; detail: InputsDetail; json?: string }>();
  const inputsOf = (buildId: string) => built.get(buildId) ?? (platformOf(buildId) ? { digest: platformOf(buildId)!.inputs, detail: platformOf(buildId)!.detail } : undefined);
  const note = (push: PushNode, out: PushOutput) => {
    const inputs = inputsOf(push.build);
    for (const r of push.refs) {
      applied.tags[formatImageRef(push.target, r.repository, r.tag)] = { digest: out.digest, mediaType: out.mediaType, size: out.size, ...(inputs ? { inputs: inputs.digest } : {}) };
    }
    if (inputs) {
      applied.inputs[out.digest] = inputs.digest;
      applied.details[inputs.digest] = inputs.detail;
    }
  };
  return {
    applied,
    steps: {
      build: async (node, ctx) => {
        if (isBuilt(node.id)) {
          const change = platformOf(node.id);
          if (!change) return steps.build(node, ctx);
          const pushed = Object.fromEntries(
            Object.entries(node.args).flatMap(([name, v]) => (typeof v === 'string' ? [] : [[name, { image: v.ref.image, digest: ctx.outputOf<PushOutput>(v.ref.node).digest }]])),
          );
          const final = finalizeInputs(change.detail, pushed);
          built.set(node.id, final);
          return steps.build({ ...node, labels: { ...node.labels, [INPUTS_LABEL]: final.digest, [INPUTS_DETAIL_LABEL]: final.json } }, ctx);
        }
        const change = platformOf(node.id)!;
        const output: BuildOutput = { imageId: '', platform: node.platform, builder: node.builder };
        return { status: 'cached', output, info: { summary: `${change.action}: ${change.current?.ref ?? ''}`, ...(change.current ? { digest: change.current.digest } : {}) } };
      },
      prepare: async (node, ctx) => {
        // The prepare step belongs to its build: what it writes is only wanted by a build that runs.
        const build = Object.values(plan.nodes).find((n) => n.kind === 'build' && n.deps.includes(node.id));
        if (!build || isBuilt(build.id)) return steps.prepare(node, ctx);
        return { status: 'cached', output: undefined, info: { summary: 'its build is current' } };
      },
      test: async (node, ctx) => {
        if (isBuilt(node.build)) return steps.test(node, ctx);
        return { status: 'cached', output: { imageId: '', platform: node.platform, builder: node.builder }, info: { summary: 'tested when it was built' } };
      },
      scan: async (node, ctx) => {
        // A scan gates a push of what was just built; nothing is built or pushed here.
        if (isBuilt(node.build)) return steps.scan(node, ctx);
        return { status: 'cached', output: ctx.outputOf<BuildOutput>(node.build), info: { summary: 'nothing new to scan: the published image is current' } };
      },
      push: async (node, ctx) => {
        const change = changes.pushes[node.id];
        const platform = platformOf(node.build);
        if (!change || change.action === 'push' || !platform?.current) {
          const result = (await steps.push(node, ctx)) as StepResult<PushOutput>;
          note(node, result.output);
          return result;
        }
        const current = platform.current;
        const output: PushOutput = {
          digest: current.digest,
          size: current.size,
          mediaType: current.mediaType,
          platform: node.platform,
          location: { target: node.target, repository: node.refs[0]?.repository ?? node.digestRepositories[0] ?? current.repository },
        };
        if (change.action === 'skip') return { status: 'cached', output, info: { digest: current.digest, summary: 'every tag already holds it' } };
        return copyStep(plan, services, node, change, output, ctx, note);
      },
      index: async (node, ctx) => {
        const change = changes.indexes[node.id];
        if (change?.action === 'unchanged' && change.current) {
          const output: IndexOutput = { digest: change.current };
          return { status: 'cached', output, info: { digest: change.current, summary: 'children unchanged' } };
        }
        const children = node.children.map((c) => {
          const push = plan.nodes[c.push];
          const inputs = push?.kind === 'push' ? inputsOf(push.build) : undefined;
          return inputs ? { ...c, annotations: { ...c.annotations, [INPUTS_LABEL]: inputs.digest } } : c;
        });
        const final = { ...node, children };
        const result = (await steps.index(final, ctx)) as StepResult<IndexOutput>;
        noteIndex(applied, final, result.output.digest, ctx);
        return result;
      },
    },
  };
}

async function copyStep(
  plan: Plan,
  services: StepServices,
  node: PushNode,
  change: NonNullable<Plan['changes']>['pushes'][string],
  output: PushOutput,
  ctx: StepContext,
  note: (push: PushNode, out: PushOutput) => void,
): Promise<StepResult<PushOutput>> {
  const from = change.from!;
  const sourceStore = services.stores.get(findTarget(plan, from.target) ?? node.target);
  const store = services.stores.get(node.target);
  const byRepo = new Map<string, string[]>();
  for (const ref of change.write) {
    const r = node.refs.find((x) => formatImageRef(node.target, x.repository, x.tag) === ref);
    if (r) byRepo.set(r.repository, [...(byRepo.get(r.repository) ?? []), r.tag]);
  }
  for (const repo of change.digestRepositories) if (!byRepo.has(repo)) byRepo.set(repo, []);
  ctx.progress(`${change.action === 'copy' ? 'copying' : 'retagging'} ${from.ref}`);
  // The same publishing path as a fan-out copy: blobs mounted within one store, streamed across.
  const image = await storedImageSource(sourceStore, from.repository, from.digest, sourceStore === store, ctx.signal);
  const stats = await publishImage(store, byRepo, image, {
    signal: ctx.signal,
    onProgress: (message, current, total) => ctx.progress(message, current, total, 'bytes'),
  });
  note(node, output);
  return {
    output,
    info: {
      digest: output.digest,
      refs: node.refs.map((r) => formatImageRef(node.target, r.repository, r.tag)),
      summary: `${change.action} from ${from.ref}: ${stats.uploaded} blobs uploaded, ${stats.mounted} mounted, ${stats.skipped} already there; ${stats.tagsWritten} tags written`,
    },
  };
}

function findTarget(plan: Plan, name: string): TargetSpec | undefined {
  for (const n of Object.values(plan.nodes)) if ((n.kind === 'push' || n.kind === 'index') && n.target.name === name) return n.target;
  return undefined;
}

function noteIndex(applied: AppliedState, node: IndexNode, digest: string, ctx: StepContext): void {
  const children = node.children.map((c) => {
    const out = ctx.outputOf<PushOutput>(c.push);
    const inputs = c.annotations?.[INPUTS_LABEL];
    return { platform: formatPlatform(c.platform), digest: out.digest, mediaType: out.mediaType, size: out.size, ...(inputs ? { inputs } : {}) };
  });
  applied.indexes[digest] = children;
  applied.tags[formatImageRef(node.target, node.repository, node.indexTag)] = { digest, mediaType: MEDIA[node.format].index, size: 0, children };
}
