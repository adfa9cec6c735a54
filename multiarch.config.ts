/**
 * multiarch's own config: the seed's web server for amd64 and arm64, tested on each platform
 * (`uname -m` must print that platform's machine name, and the page must answer), and published
 * as one multi-arch image into an OCI image layout next to this file — no registry server needed:
 *
 *   .multiarch/oci   (oci-layout, index.json, blobs/sha256/…), image `demo/web:v1`
 *
 * `npm run demo` applies it, then copies the layout to the local registry the test environment
 * starts (`skopeo copy --all oci:.multiarch/oci:demo/web:v1 docker://127.0.0.1:5000/demo/web:v1`)
 * and pulls and runs each platform from there. To publish to a registry directly, add it under
 * `registries` and a second `publish` entry: the image is built once and copied to it.
 */
import process from 'node:process';
import { defineConfig } from 'multiarch';

const registry = process.env.MULTIARCH_TEST_REGISTRY ?? '127.0.0.1:5000';

export default defineConfig({
  registries: {
    layout: { url: 'oci:./.multiarch/oci' },
  },
  images: {
    web: {
      context: './examples/web-server',
      platforms: ['linux/amd64', 'linux/arm64'],
      args: { BASE_IMAGE: process.env.MULTIARCH_TEST_BASE_IMAGE ?? `${registry}/hermetic/busybox:latest` },
      tags: ['v1'],
      test: {
        command: ['uname', '-m'],
        expectOutput: '{uname}',
        http: { port: 80, path: '/', expectStatus: 200 },
      },
      publish: [{ registry: 'layout', repository: 'demo/web', platformTag: '{tag}-{arch}' }],
    },
  },
});
