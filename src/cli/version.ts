/** The package version, read from package.json next to the build so it cannot drift. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function readVersion(): string {
  for (const candidate of ['../../package.json', '../package.json']) {
    try {
      return (require(candidate) as { version: string }).version;
    } catch {
      // Source and build layouts differ by one directory.
    }
  }
  return '0.0.0';
}

export const VERSION = readVersion();
