/**
 * scan(image, platform): the tested image is scanned on its own (never an index), or its cached
 * result reused (same image, scanner and DB), then judged by the image's policy. A rejected image
 * fails here with the findings that failed it and the exceptions that applied, so none of its
 * pushes or indexes run.
 */
import { formatPlatform } from '../../config/platform.js';
import { MultiarchError } from '../../errors/multiarch-error.js';
import type { ScanNode } from '../../plan/nodes.js';
import { formatCounts } from '../../scan/finding.js';
import { evaluatePolicy } from '../../scan/policy.js';
import { describeVerdict } from '../../scan/verdict-text.js';
import type { StepContext, StepResult } from '../execute.js';
import type { Scanners } from '../ports/scanner.js';
import type { ImageExports } from './image-exports.js';
import { builtImage, type BuildOutput } from './step-outputs.js';

export interface ScanDeps {
  /** Present when the plan scans: the scanners, their result cache and the run's scan records. */
  readonly scanners?: Scanners;
  /** The image reaches the scanner through its one export (engine or assembled alike). */
  readonly images: Pick<ImageExports, 'writeArchive'>;
}

export async function runScan(deps: ScanDeps, node: ScanNode, ctx: StepContext): Promise<StepResult<BuildOutput>> {
  if (node.action.type === 'skip') return { status: 'cached', output: ctx.outputOf<BuildOutput>(node.build), info: { summary: node.action.why } };
  const scans = deps.scanners;
  if (!scans) throw new Error('the plan has scan nodes but apply set up no scanners');
  const built = builtImage(ctx.outputOf<BuildOutput>(node.build), node.id);
  ctx.progress(`preparing ${node.scanner}${node.options.offline ? '' : ' (vulnerability DB update)'}`);
  const info = await scans.prepare(node.scanner, node.options, ctx.signal, (line) => ctx.log(line, 'stderr'));
  const cached = await scans.cached(info, built.imageId);
  const findings =
    cached ??
    (await scans.scan(info, {
      writeArchive: deps.images.writeArchive(built, ctx.signal),
      imageId: built.imageId,
      options: node.options,
      timeoutSeconds: node.timeoutSeconds,
      signal: ctx.signal,
      onLine: (line) => ctx.log(line, 'stderr'),
      onProgress: (message) => ctx.progress(message),
    }));
  const verdict = evaluatePolicy(findings, node.policy, scans.today);
  const platform = formatPlatform(node.platform);
  scans.record({
    node: node.id,
    image: node.image,
    platform,
    dockerfile: node.dockerfile,
    imageId: built.imageId,
    scanner: info,
    cached: cached !== undefined,
    policy: node.policy,
    verdict,
  });
  const text = describeVerdict(verdict, node.policy);
  for (const line of text.lines) ctx.log(line);
  if (!verdict.passed) {
    throw new MultiarchError('E_SCAN_POLICY', `${node.image} ${platform}: ${text.headline} (${info.name} ${info.version}, DB ${info.db.version})`, {
      details: text.lines,
      hint: `nothing of ${node.image} is pushed. Update the affected packages, or add a reviewed exception { id, until, reason } under scan.exceptions`,
    });
  }
  return {
    ...(cached ? { status: 'cached' as const } : {}),
    output: built,
    info: { summary: `${formatCounts(verdict.counts)}; ${text.headline}`, output: text.lines.join('\n') },
  };
}
