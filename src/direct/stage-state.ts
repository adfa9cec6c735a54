/**
 * One stage while it is assembled: its config, its layers (the base's, then each COPY's), its
 * filesystem (read from the base's layers only when something needs it: a copy's parents, a
 * WORKDIR, a name in --chown, a COPY --from), and the ARG values in scope.
 */
import type { BlobStore } from '../image/blob-store.js';
import { readBaseTree } from './base-tree.js';
import { FsTree } from './fs-tree.js';
import type { ImageConfig } from './image-config.js';
import type { SharedWork } from './shared-work.js';

export interface LayerRef {
  readonly digest: string;
  readonly size: number;
  readonly diffId: string;
}

export class StageState {
  private tree: FsTree | undefined;
  private treeLoading: Promise<FsTree> | undefined;
  readonly layers: LayerRef[];
  readonly args: Record<string, string> = {};
  /** CMD set in this stage (an ENTRYPOINT then keeps it). */
  cmdSet = false;

  constructor(
    readonly config: ImageConfig,
    layers: readonly LayerRef[],
    readonly store: BlobStore,
    private readonly shared: SharedWork,
    tree?: FsTree,
  ) {
    this.layers = [...layers];
    this.tree = tree;
  }

  /** The filesystem, loaded from the base layers the first time it is asked for. */
  fs(): Promise<FsTree> {
    if (this.tree) return Promise.resolve(this.tree);
    // Read once per set of layers (images on one base); each stage changes a copy of its own.
    const digests = this.layers.map((l) => l.digest);
    this.treeLoading ??= this.shared.once(`tree\0${digests.join('\0')}`, () => readBaseTree(digests, this.store, this.shared)).then((t) => (this.tree = t.clone()));
    return this.treeLoading;
  }

  /** The environment words expand in: ARGs, overridden by ENV (as in BuildKit). */
  env(): Record<string, string> {
    const env: Record<string, string> = { ...this.args };
    for (const e of this.config.config?.Env ?? []) {
      const eq = e.indexOf('=');
      if (eq > 0) env[e.slice(0, eq)] = e.slice(eq + 1);
    }
    return env;
  }
}
