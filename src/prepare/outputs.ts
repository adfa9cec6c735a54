/**
 * What a prepare step wrote: its declared output globs expanded in the image's context after it
 * ran, each file with its size and sha256, and one digest over the list — the value an inputs
 * digest (issue #4) can take in for the build that COPYs them. Edge: reads the file system.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';

export interface PreparedFile {
  /** Relative to the context, `/`-separated. */
  readonly path: string;
  readonly size: number;
  readonly digest: string;
}

export interface PrepareOutputs {
  readonly files: readonly PreparedFile[];
  /** `sha256:` of the sorted `digest path` lines; that of nothing when no globs were declared. */
  readonly digest: string;
}

export async function collectOutputs(context: string, globs: readonly string[]): Promise<PrepareOutputs> {
  const paths = globs.length === 0 ? [] : await expand(context, globs);
  const files: PreparedFile[] = [];
  for (const rel of [...new Set(paths)].sort()) {
    const file = path.join(context, rel);
    const info = await stat(file);
    files.push({ path: rel, size: info.size, digest: await fileDigest(file) });
  }
  return { files, digest: outputsDigest(files) };
}

export function outputsDigest(files: readonly PreparedFile[]): string {
  const text = files.map((f) => `${f.digest}  ${f.path}\n`).join('');
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

async function expand(context: string, globs: readonly string[]): Promise<string[]> {
  const { glob } = await import('zx');
  return glob([...globs], { cwd: context, onlyFiles: true, dot: true, followSymbolicLinks: false });
}

function fileDigest(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(`sha256:${hash.digest('hex')}`));
  });
}
