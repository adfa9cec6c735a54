/**
 * Work the assemblies of one run share. A RUN-less image's platforms nearly always COPY the same
 * context files into the same places: the context is walked once, and a layer whose entries are
 * the same (paths, types, modes, owners, link targets, where each file's bytes come from, the
 * epoch) is written — tar + gzip, the bulk of an assembly's CPU — once, its blob reused by every
 * platform. Likewise a base's tag is resolved once, a blob fetched once, a base's filesystem read
 * once per set of layers (each stage gets its own copy to change). A key names every input of
 * the work it stands for, so sharing never changes a digest. Edge (holds promises of I/O).
 */
import { createHash } from 'node:crypto';
import type { FsEntry } from './fs-tree.js';

export class SharedWork {
  private readonly started = new Map<string, Promise<unknown>>();

  /** The promise of the first call with `key`; `make` runs only for the first. */
  once<T>(key: string, make: () => Promise<T>): Promise<T> {
    let p = this.started.get(key) as Promise<T> | undefined;
    if (!p) this.started.set(key, (p = make()));
    return p;
  }
}

/**
 * What a layer's bytes depend on. Context files are named by path: within one run the context is
 * read once per path (the inputs digest was taken from the same files), so one path is one content.
 */
export function layerKey(entries: readonly FsEntry[], epoch: number): string {
  const hash = createHash('sha256').update(`layer\0${epoch}\0`);
  for (const e of [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    hash.update(`${e.path}\0${e.type}\0${e.mode}\0${e.uid}\0${e.gid}\0${e.link ?? ''}\0${e.size ?? ''}\0`);
    const c = e.content;
    if (!c) hash.update('-\0');
    else if (c.kind === 'file') hash.update(`file\0${c.path}\0`);
    else if (c.kind === 'layer') hash.update(`layer\0${c.digest}\0${c.name}\0`);
    else hash.update(`bytes\0${createHash('sha256').update(c.bytes).digest('hex')}\0`);
  }
  return hash.digest('hex');
}
