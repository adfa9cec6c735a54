/**
 * prepare(image, platform): the image's host-side step, run with zx in its context before that
 * platform's build. The function comes from the loaded config (a plan holds only its fingerprint),
 * and must still be the one the plan was made with. Its output lines are the node's log, the run's
 * signal kills what it started, and a failure fails the node (so that platform is not built, and
 * no index is written without it). The declared outputs are listed with their digests.
 */
import { formatPlatform } from '../../config/platform.js';
import { MultiarchError, isMultiarchError } from '../../errors/multiarch-error.js';
import type { PrepareNode } from '../../plan/nodes.js';
import { collectOutputs, type PrepareOutputs } from '../../prepare/outputs.js';
import { createZxShell } from '../../sys/zx-shell.js';
import type { StepContext, StepResult } from '../execute.js';
import type { ResolvedPrepare } from '../../config/prepare.js';

const TAIL = 20;

export interface PrepareDeps {
  /** The image's prepare step from the loaded config (a plan cannot hold functions). */
  readonly prepares: (image: string) => ResolvedPrepare | undefined;
}

export async function runPrepare(deps: PrepareDeps, node: PrepareNode, ctx: StepContext): Promise<StepResult<PrepareOutputs | undefined>> {
  if (node.action.type === 'skip') return { status: 'cached', output: undefined, info: { summary: node.action.why } };
  const platform = formatPlatform(node.platform);
  const prepare = deps.prepares(node.image);
  if (!prepare || prepare.source.hash !== node.source.hash) {
    throw new MultiarchError('E_PLAN_STALE', `the prepare step of ${node.image} ${prepare ? 'changed' : 'is gone'} since the plan was made`, {
      hint: 'make the plan again (multiarch plan) from the current config',
    });
  }
  const tail: string[] = [];
  const onLine = (line: string, stream: 'stdout' | 'stderr') => {
    tail.push(line);
    if (tail.length > TAIL) tail.shift();
    ctx.log(line, stream);
  };
  const shell = await createZxShell({ cwd: node.context, signal: ctx.signal, onLine });
  ctx.progress(`running on the host for ${platform}`);
  try {
    await prepare.run({
      $: shell.$,
      platform: { os: node.platform.os, arch: node.platform.architecture, variant: node.platform.variant ?? '', platform },
      context: node.context,
      signal: ctx.signal,
      log: (line) => onLine(line, 'stdout'),
    });
  } catch (error) {
    if (ctx.signal.aborted) throw new MultiarchError('E_CANCELED', `prepare for ${platform} canceled`);
    if (isMultiarchError(error)) throw error;
    throw new MultiarchError('E_PREPARE_FAILED', `the prepare step of ${node.image} failed for ${platform}: ${firstLine(error)}`, {
      details: tail,
      hint: 'it runs on this machine in the image context; fix the command above (the platform is not built, and no index is written without it)',
    });
  } finally {
    shell.close();
  }
  if (ctx.signal.aborted) throw new MultiarchError('E_CANCELED', `prepare for ${platform} canceled`);
  const outputs = await collectOutputs(node.context, node.outputs);
  if (node.outputs.length > 0 && outputs.files.length === 0) {
    throw new MultiarchError('E_PREPARE_FAILED', `the prepare step of ${node.image} wrote nothing matching ${node.outputs.join(', ')} for ${platform}`, {
      details: tail,
      hint: 'check the outputs globs (relative to the image context) against what the step writes',
    });
  }
  return { output: outputs, info: { summary: node.outputs.length ? `${outputs.files.length} output files (${outputs.digest.slice(0, 19)})` : 'done' } };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n').find((l) => l.trim())?.trim() ?? 'it threw';
}
