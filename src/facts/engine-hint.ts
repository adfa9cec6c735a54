/**
 * A guess, before the config is loaded, at whether this run will probe the docker client: does a
 * Dockerfile near the config (its directory and two levels below it, dot-directories and
 * node_modules left out) hold an instruction only an engine carries out? If so, gatherFacts starts
 * the probe at once, so that it runs while the config's transform holds the event loop, as it did
 * before the probe waited for the config; if not, the probe starts only when the loaded config and
 * its Dockerfiles say some image needs an engine (plan/engine-need.ts), and a project whose
 * images are all assembled directly starts no docker process. The guess only moves the probe
 * earlier: whether the run uses the client is decided from the config. Edge: reads a few
 * directories and small files, synchronously (before the config's import takes the event loop).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { directSupport } from '../direct/direct-support.js';

const DEPTH = 2;
/** Bounds the walk (a few milliseconds) in a large tree: past this many directory entries, no guess. */
const MAX_ENTRIES = 2_000;
const MAX_BYTES = 256 * 1024;
const DOCKERFILE = /^(?:Dockerfile|Containerfile)(?:\.[^.]+)?$|\.(?:Dockerfile|Containerfile)$/i;

export function engineLikely(configDir: string): boolean {
  const queue: Array<readonly [string, number]> = [[configDir, 0]];
  let seen = 0;
  while (queue.length > 0 && seen < MAX_ENTRIES) {
    const [dir, depth] = queue.shift()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    seen += entries.length;
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (depth < DEPTH && !entry.name.startsWith('.') && entry.name !== 'node_modules') queue.push([path.join(dir, entry.name), depth + 1]);
      } else if (entry.isFile() && DOCKERFILE.test(entry.name) && !entry.name.endsWith('.dockerignore') && needsEngine(path.join(dir, entry.name))) {
        return true;
      }
    }
  }
  return false;
}

function needsEngine(file: string): boolean {
  try {
    return statSync(file).size <= MAX_BYTES && !directSupport(readFileSync(file, 'utf8')).ok;
  } catch {
    return false;
  }
}
