/**
 * Reads each selected image's Dockerfile once to learn whether multiarch can assemble it without
 * an engine (the first instruction that needs one, otherwise), and whether an ADD names an archive
 * only an engine unpacks (bzip2, xz, zstd). Edge: reads files.
 */
import { readFile } from 'node:fs/promises';
import type { ResolvedConfig } from '../config/resolved.js';
import { findEngineArchive } from '../direct/add-archives.js';
import { directSupport } from '../direct/direct-support.js';
import type { DockerfileFact } from '../plan/build-path.js';

export async function gatherDockerfileFacts(config: ResolvedConfig, images: ReadonlySet<string>): Promise<Record<string, DockerfileFact>> {
  const entries = await Promise.all(
    [...images].map(async (name): Promise<[string, DockerfileFact]> => {
      const image = config.images[name]!;
      const text = await readFile(image.dockerfile, 'utf8').catch(() => undefined);
      // A missing Dockerfile is the engine's to report (as it always was).
      if (text === undefined) return [name, { direct: false, instruction: 'FROM', line: 1, why: 'is in no Dockerfile that could be read' }];
      const support = directSupport(text, image.target);
      if (!support.ok) return [name, { direct: false, instruction: support.instruction, line: support.line, why: support.why }];
      const archive = await findEngineArchive(support, image.context);
      return [name, archive ? { direct: false, ...archive } : { direct: true }];
    }),
  );
  return Object.fromEntries(entries);
}
