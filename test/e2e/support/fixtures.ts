/** Throw-away project directories for e2e tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/**
 * Inside the repository (git-ignored), so a fixture's multiarch.config.ts can `import … from
 * 'multiarch'` (package self-reference) and resolve the repository's node_modules.
 */
const DEFAULT_PARENT = path.join(ROOT, '.test-env/fixtures');

const leftovers = new Set<string>();
process.once('exit', () => {
  for (const dir of leftovers) rmSync(dir, { recursive: true, force: true });
});

export interface FixtureOptions {
  /** Directory to create the fixture in (default: <repo>/.test-env/fixtures). */
  readonly parent?: string;
  /** File name prefix (default `fixture-`). */
  readonly prefix?: string;
}

/**
 * A new directory holding `files` (relative path → content; folders created as needed). Removed
 * when the current test finishes (when called outside a test, e.g. in beforeAll, when the worker
 * exits). Set MULTIARCH_E2E_KEEP_FIXTURES=1 to keep them for debugging.
 */
export function makeFixture(files: Record<string, string | Buffer>, options: FixtureOptions = {}): string {
  const parent = options.parent ?? DEFAULT_PARENT;
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(path.join(parent, options.prefix ?? 'fixture-'));
  for (const [name, content] of Object.entries(files)) {
    const file = path.resolve(dir, name);
    if (!file.startsWith(dir + path.sep)) throw new Error(`makeFixture: ${name} is outside the fixture`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  if (process.env.MULTIARCH_E2E_KEEP_FIXTURES !== '1') {
    const cleanup = () => {
      rmSync(dir, { recursive: true, force: true });
      leftovers.delete(dir);
    };
    leftovers.add(dir);
    try {
      onTestFinished(cleanup);
    } catch {
      // not inside a running test: the exit handler removes it
    }
  }
  return dir;
}
