/**
 * The hermetic test environment (registries, base image, busybox binaries) as provided by
 * test/e2e/global-setup.ts, which runs scripts/test-env.sh and reads .test-env/env.
 * globalSetup runs in the main vitest process; values reach the test workers through
 * `project.provide` / `inject`, not through process.env.
 */
import { inject } from 'vitest';

export interface TestEnv {
  /** Repository root (absolute). */
  readonly root: string;
  /** Plain-HTTP registry without auth, `127.0.0.1:5000`. */
  readonly registry: string;
  /** Plain-HTTP registry with htpasswd auth, `127.0.0.1:5001`. */
  readonly authRegistry: string;
  readonly authUser: string;
  readonly authPassword: string;
  /** File holding `authPassword` (mode 600). */
  readonly authPasswordFile: string;
  /** Multi-arch busybox index (linux/amd64, linux/arm64, linux/arm/v7) in `registry`. */
  readonly baseImage: string;
  /** Directory with `{amd64,arm64,armv7}/busybox` static binaries. */
  readonly busyboxDir: string;
  /** The KEY=value pairs of .test-env/env, for the environment of spawned processes (the CLI). */
  readonly vars: Readonly<Record<string, string>>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    multiarchTestEnv: TestEnv;
  }
}

export const PROVIDE_KEY = 'multiarchTestEnv' as const;

/** The test environment; only inside e2e test files (needs the e2e globalSetup). */
export function testEnv(): TestEnv {
  const env = inject(PROVIDE_KEY);
  if (!env) throw new Error('testEnv(): nothing provided; run this file in the vitest "e2e" project (test/e2e/global-setup.ts)');
  return env;
}

/** `process.env` plus the test environment's variables, for `execa(…, { env })`. */
export function testProcessEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...testEnv().vars, ...extra };
}

/** Parse shell `KEY=value` lines (as written by scripts/test-env.sh). */
export function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    let value = line.slice(eq + 1);
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
    vars[line.slice(0, eq).replace(/^export\s+/, '')] = value;
  }
  return vars;
}
