/**
 * The engine port (exec/ports/engine.ts) on the Docker CLI: each builder's engine from the pool
 * builds through its Builder, runs test commands and HTTP-checked servers as containers, and
 * exports with `docker save` (save-image.ts, its one call) into the run's blob store or an archive. Where
 * a published port is reached (loopback, or a remote engine's host) stays in here. Edge.
 */
import type { Engine, Engines } from '../exec/ports/engine.js';
import type { BlobStore } from '../image/blob-store.js';
import { exportImage } from '../image/export-image.js';
import type { EnginePool } from './engine-pool.js';
import { probeHttp, runCommandInImage } from './run-container.js';
import { saveImage, saveImageToFile } from './save-image.js';

export function createDockerEngines(pool: EnginePool, store: BlobStore): Engines {
  const made = new Map<string, Engine>();
  return {
    get(name) {
      // The pool throws for an unreachable builder, every time it is asked.
      const engine = pool.get(name);
      let port = made.get(name);
      if (!port) {
        const { builder, docker, address } = engine;
        port = {
          build: (spec, io) => builder.build(spec, io),
          runCommand: (image, platform, command, io) => runCommandInImage(docker, image, platform, command, io),
          checkServer: (image, platform, check, io) => probeHttp(docker, image, platform, { ...check, address }, io),
          exportImage: (imageId, signal, held) => exportImage((s) => saveImage(docker, imageId, s), imageId, store, signal, held),
          saveArchive: (imageId, file, signal) => saveImageToFile(docker, imageId, file, signal),
        };
        made.set(name, port);
      }
      return port;
    },
  };
}
