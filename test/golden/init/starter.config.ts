/**
 * The images this repository ships, for every platform they run on. Written by `multiarch init`
 * with a starter Dockerfile and .dockerignore: replace them with your application.
 *
 *   npx multiarch plan                       what would be built, tested and pushed (writes nothing)
 *   npx multiarch apply                      build every platform (foreign ones under QEMU), test
 *                                            each one, push it, then one multi-arch tag per tag
 *   npx multiarch add platform linux/arm/v7  edit this file from the command line (also: add image)
 *   npx multiarch graph --format mermaid     the plan as a diagram
 *
 * Plain TypeScript, typed by defineConfig: your editor completes and checks every field.
 */
import { defineConfig } from 'multiarch';

export default defineConfig({
  // Where images are pushed: `url` is the host as written in image references (docker.io,
  // ghcr.io, <account>.dkr.ecr.<region>.amazonaws.com; 127.0.0.1:5000 with insecure: true).
  // multiarch logs in with the credentials `docker login <url>` stored.
  registries: {
    // none yet: e.g. ghcr: { url: "ghcr.io" }, then a publish entry per image
  },
  // Each image: its build context (relative to this file), the Dockerfile (relative to the
  // context; default "Dockerfile"), the platforms to build, its tags, a test run on every
  // platform before anything is pushed, and where to publish it. Platform images are pushed as
  // <tag>-<platform> (publish[].platformTag) and the multi-arch index as <tag> (indexTag).
  images: {
    'my-app': {
      context: '.',
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: ['latest'],
      // runs on every platform before anything is pushed
      test: { command: ['uname', '-m'], expectOutput: '{uname}' },
      // publish: [{ registry: 'ghcr', repository: 'you/my-app' }],  // once registries has one
    },
  },
});
