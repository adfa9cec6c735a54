/**
 * test(image, platform): the image runs on its platform (under QEMU when foreign), on the engine
 * that built it, before anything is pushed: the command must exit 0 and print what is expected, the HTTP probe must answer.
 */
import { formatPlatform, qemuArch, unameMachine } from '../../config/platform.js';
import { MultiarchError } from '../../errors/multiarch-error.js';
import type { TestNode } from '../../plan/nodes.js';
import type { BackgroundWork } from '../background.js';
import type { StepContext, StepResult } from '../execute.js';
import type { Engine, Engines } from '../ports/engine.js';
import { explainCommandFailure } from './command-failure.js';
import { builtImage, type BuildOutput, type BuiltImage } from './step-outputs.js';

export interface TestDeps {
  /** The engine that built the image runs it. */
  readonly engines: Engines;
  /** Takes the HTTP check's container removal: the run settles it before it ends. */
  readonly background: BackgroundWork;
}

export async function runTest(deps: TestDeps, node: TestNode, ctx: StepContext): Promise<StepResult<BuildOutput>> {
  if (node.action.type === 'skip') return { status: 'cached', output: ctx.outputOf<BuildOutput>(node.build), info: { summary: node.action.why } };
  const built = builtImage(ctx.outputOf<BuildOutput>(node.build), node.id);
  const engine = deps.engines.get(node.builder);
  // The command and the HTTP check run side by side, each in a container of its own: neither
  // depends on the other, and under QEMU each takes a second or more to start.
  const stopProbe = new AbortController();
  const probe = node.http
    ? engine.checkServer(
        built.imageId,
        node.platform,
        { port: node.http.port, path: node.http.path, expectStatus: node.http.expectStatus, timeoutMs: node.http.timeoutSeconds * 1000 },
        {
          signal: AbortSignal.any([ctx.signal, stopProbe.signal]),
          onLine: (line) => ctx.log(line),
          onProgress: (m) => ctx.progress(m),
          removeLater: (removal) => deps.background.add(removal),
        },
      )
    : undefined;
  // Handled below, once the command is done; until then a failure must not count as unhandled.
  probe?.catch(() => undefined);
  const results: string[] = [];
  if (node.command) {
    try {
      results.push(await checkCommand(engine, built, node, node.command, ctx));
    } catch (error) {
      // The command's failure is the one to report; the HTTP check is stopped and its container removed.
      stopProbe.abort();
      await probe?.catch(() => undefined);
      throw error;
    }
  }
  if (probe && node.http) results.push(`GET ${node.http.path} → ${(await probe).status}`);
  const summary = results.join('; ');
  return { output: built, info: { summary, output: summary } };
}

/** Runs the test command; its output, on one line, when it exits 0 and prints what is expected. */
async function checkCommand(engine: Engine, built: BuiltImage, node: TestNode, command: readonly string[], ctx: StepContext): Promise<string> {
  const platform = formatPlatform(node.platform);
  ctx.progress(`$ ${command.join(' ')}`);
  const run = await engine.runCommand(built.imageId, node.platform, command, {
    signal: ctx.signal,
    timeoutMs: node.timeoutSeconds * 1000,
    onLine: (line) => ctx.log(line),
  });
  const lines = run.output.split('\n').filter(Boolean);
  if (run.exitCode !== 0) {
    const { message, hint } = explainCommandFailure({ command, exitCode: run.exitCode, output: run.output, platform: node.platform, ...(node.runs ? { runs: node.runs } : {}) });
    throw new MultiarchError('E_TEST_FAILED', message, { details: lines.slice(-20), ...(hint ? { hint } : {}) });
  }
  if (node.expectOutput !== undefined && !run.output.includes(node.expectOutput)) {
    throw new MultiarchError('E_TEST_FAILED', `\`${command.join(' ')}\` on ${platform} printed ${JSON.stringify(lines.at(-1) ?? '')}, expected ${JSON.stringify(node.expectOutput)}`, {
      details: lines.slice(-20),
      hint: expectOutputHint(node, run.output),
    });
  }
  return lines.join(' ').slice(0, 120);
}

/** `uname -m` names of other architectures: output naming one of them means the wrong binaries ran. */
const MACHINES = ['x86_64', 'aarch64', 'armv7l', 'armv6l', 'i686', 'ppc64le', 's390x', 'riscv64'];

/**
 * "Would ship an exec format error" only when that is what happened: an emulated platform whose
 * output names another architecture. A native mismatch is simply the wrong output.
 */
export function expectOutputHint(node: Pick<TestNode, 'platform' | 'runs' | 'expectOutput'>, output: string): string {
  const platform = formatPlatform(node.platform);
  const own = unameMachine(node.platform);
  const other = MACHINES.find((m) => m !== own && new RegExp(`\\b${m}\\b`).test(output));
  if (node.runs === 'emulated' && other) {
    return `the ${platform} image printed "${other}": it does not behave like a ${platform} image; publishing it would ship an "exec format error"`;
  }
  return `check the image or the test: the output must contain ${JSON.stringify(node.expectOutput ?? '')}`;
}
