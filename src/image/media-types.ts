/** OCI and Docker media types, by manifest format. */
import type { ManifestFormat } from '../config/resolved.js';

export const MEDIA = {
  oci: {
    manifest: 'application/vnd.oci.image.manifest.v1+json',
    index: 'application/vnd.oci.image.index.v1+json',
    config: 'application/vnd.oci.image.config.v1+json',
    layerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  },
  docker: {
    manifest: 'application/vnd.docker.distribution.manifest.v2+json',
    index: 'application/vnd.docker.distribution.manifest.list.v2+json',
    config: 'application/vnd.docker.container.image.v1+json',
    layerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  },
} as const satisfies Record<ManifestFormat, Record<string, string>>;

/** Every manifest type multiarch reads, for `Accept` headers. */
export const MANIFEST_ACCEPT = [MEDIA.oci.manifest, MEDIA.oci.index, MEDIA.docker.manifest, MEDIA.docker.index].join(', ');

export function isIndexMediaType(mediaType: string | undefined): boolean {
  return mediaType === MEDIA.oci.index || mediaType === MEDIA.docker.index;
}
