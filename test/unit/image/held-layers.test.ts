/**
 * Which layers of an engine-built image its base's registry holds compressed: those of the longest
 * base whose diff ids are the image's first ones, gzip blobs only.
 */
import { describe, expect, it } from 'vitest';
import { heldLayers, type BaseLayers } from '../../../src/image/held-layers.js';
import { MEDIA } from '../../../src/image/media-types.js';

const id = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const blob = (n: number, mediaType: string = MEDIA.docker.layerGzip) => ({ digest: id(n + 100), size: 1000 + n, mediaType });
const base = (repository: string, diffIds: number[], layers = diffIds.map((n) => blob(n))): BaseLayers => ({ host: 'registry.test', repository, diffIds: diffIds.map(id), layers });

describe('heldLayers', () => {
  it('takes the layers of the longest base the image starts with', () => {
    const image = [1, 2, 3, 4].map(id);
    const held = heldLayers([base('library/alpine', [1]), base('team/runtime', [1, 2]), base('team/other', [5])], image);
    expect(held).toEqual([
      { diffId: id(1), digest: id(101), size: 1001, host: 'registry.test', repository: 'team/runtime' },
      { diffId: id(2), digest: id(102), size: 1002, host: 'registry.test', repository: 'team/runtime' },
    ]);
  });

  it('takes nothing from a base whose layers the image does not start with, or that is the image itself and more', () => {
    expect(heldLayers([base('a', [2, 3])], [1, 2, 3].map(id))).toEqual([]);
    expect(heldLayers([base('a', [1, 2, 3])], [1, 2].map(id))).toEqual([]);
    expect(heldLayers([], [1].map(id))).toEqual([]);
  });

  it('leaves a zstd or non-distributable layer to be gzip-d here, and keeps the others of that base', () => {
    const layers = [blob(1, MEDIA.oci.layerGzip), blob(2, 'application/vnd.oci.image.layer.v1.tar+zstd'), blob(3, 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip')];
    expect(heldLayers([base('a', [1, 2, 3], layers)], [1, 2, 3, 4].map(id)).map((l) => l.diffId)).toEqual([id(1)]);
  });

  it('ignores a base whose manifest and config disagree on the number of layers', () => {
    expect(heldLayers([base('a', [1, 2], [blob(1)])], [1, 2].map(id))).toEqual([]);
  });
});
