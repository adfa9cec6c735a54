/**
 * globalSetup of the vitest "e2e" project: make sure the hermetic environment is up
 * (scripts/test-env.sh, a fraction of a second when it already is), then hand its coordinates
 * to the test files through `project.provide` (read them with `testEnv()` from ./support/env.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { TestProject } from 'vitest/node';
import { PROVIDE_KEY, parseEnvFile, type TestEnv } from './support/env.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export default async function setup(project: TestProject): Promise<void> {
  const started = Date.now();
  // [env] progress lines go to stderr as they happen (a cold start can take a minute or more).
  const result = await execa('bash', [path.join(ROOT, 'scripts/test-env.sh')], {
    cwd: ROOT,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'inherit',
    reject: false,
  });
  if (result.exitCode !== 0) {
    throw new Error(`scripts/test-env.sh failed (exit ${result.exitCode}); see the [env] lines above\n${result.stdout}`);
  }

  const vars = parseEnvFile(readFileSync(path.join(ROOT, '.test-env/env'), 'utf8'));
  const need = (key: string): string => {
    const value = vars[key];
    if (!value) throw new Error(`.test-env/env has no ${key}; rerun scripts/test-env.sh`);
    return value;
  };
  const authPasswordFile = need('MULTIARCH_TEST_AUTH_PASSWORD_FILE');
  const env: TestEnv = {
    root: ROOT,
    registry: need('MULTIARCH_TEST_REGISTRY'),
    authRegistry: need('MULTIARCH_TEST_AUTH_REGISTRY'),
    authUser: need('MULTIARCH_TEST_AUTH_USER'),
    authPassword: readFileSync(authPasswordFile, 'utf8').trim(),
    authPasswordFile,
    baseImage: need('MULTIARCH_TEST_BASE_IMAGE'),
    busyboxDir: need('MULTIARCH_TEST_BUSYBOX_DIR'),
    vars,
  };
  project.provide(PROVIDE_KEY, env);
  // Also for anything spawned from this (main) process; workers must use testEnv().
  Object.assign(process.env, vars);
  console.error(`[e2e] test environment ready (${((Date.now() - started) / 1000).toFixed(1)}s)`);
}
