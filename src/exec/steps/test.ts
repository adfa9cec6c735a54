/**
 * test(image, platform): the image runs on its platform (under QEMU when foreign), on the engine
 * that built it, before anything is pushed: the command must exit 0 and print what is expected, the HTTP probe must answer.
 */
import { formatPlatform, qemuArch } from '../../config/platform.js';
import { probeHttp, runCommandInImage } from '../../docker/run-container.js';
import { MultiarchError } from '../../errors/multiarch-error.js';
import type { TestNode } from '../../plan/nodes.js';
import type { StepContext, StepResult } from '../execute.js';
import type { BuildOutput, StepServices } from './services.js';

export async function runTest(services: StepServices, node: TestNode, ctx: StepContext): Promise<StepResult<BuildOutput>> {
  const built = ctx.outputOf<BuildOutput>(node.build);
  const engine = services.engines.get(node.builder);
  const platform = formatPlatform(node.platform);
  const results: string[] = [];
  if (node.command) {
    ctx.progress(`$ ${node.command.join(' ')}`);
    const run = await runCommandInImage(engine.docker, built.imageId, node.platform, node.command, {
      signal: ctx.signal,
      timeoutMs: node.timeoutSeconds * 1000,
      onLine: (line) => ctx.log(line),
    });
    const lines = run.output.split('\n').filter(Boolean);
    if (run.exitCode !== 0) {
      const emulation = /exec format error/i.test(run.output) || node.runs === 'no-emulator';
      throw new MultiarchError('E_TEST_FAILED', `\`${node.command.join(' ')}\` exited ${run.exitCode} on ${platform}`, {
        details: lines.slice(-20),
        ...(emulation
          ? { hint: `this machine cannot run ${platform} binaries: install qemu-user-static and binfmt-support (qemu-${qemuArch(node.platform)})` }
          : {}),
      });
    }
    if (node.expectOutput !== undefined && !run.output.includes(node.expectOutput)) {
      throw new MultiarchError('E_TEST_FAILED', `\`${node.command.join(' ')}\` on ${platform} printed ${JSON.stringify(lines.at(-1) ?? '')}, expected ${JSON.stringify(node.expectOutput)}`, {
        details: lines.slice(-20),
        hint: 'the image does not behave like a ' + platform + ' image; publishing it would ship an "exec format error"',
      });
    }
    results.push(lines.join(' ').slice(0, 120));
  }
  if (node.http) {
    const answer = await probeHttp(
      engine.docker,
      built.imageId,
      node.platform,
      { port: node.http.port, path: node.http.path, expectStatus: node.http.expectStatus, timeoutMs: node.http.timeoutSeconds * 1000, address: engine.address },
      { signal: ctx.signal, onLine: (line) => ctx.log(line), onProgress: (m) => ctx.progress(m) },
    );
    results.push(`GET ${node.http.path} → ${answer.status}`);
  }
  const summary = results.join('; ');
  return { output: built, info: { summary, output: summary } };
}
