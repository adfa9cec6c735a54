/**
 * Dockerfile steps out of builder output, for progress: BuildKit's plain progress
 * (`#7 [2/3] RUN make`, `#9 [builder 3/5] COPY . .`) and the legacy builder's `Step 2/6 : COPY …`.
 * Pure.
 */
import type { BuildStep } from '../exec/ports/builder.js';

const BUILDKIT = /^#\d+ \[(?:([^\]\s]+) )?(\d+)\/(\d+)\] (.+)$/;
const LEGACY = /^Step (\d+)\/(\d+) : (.+)$/;

export function parseBuildStep(line: string): BuildStep | undefined {
  const bk = BUILDKIT.exec(line);
  if (bk) {
    const [, stage, current, total, text] = bk;
    return { current: Number(current), total: Number(total), text: stage ? `${stage}: ${text}` : text! };
  }
  const legacy = LEGACY.exec(line);
  if (legacy) {
    const [, current, total, text] = legacy;
    return { current: Number(current), total: Number(total), text: text! };
  }
  return undefined;
}
