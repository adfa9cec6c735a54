/**
 * Running the config's code without letting it take the process down with it: a default export
 * that never settles (Node would exit 13 with no word once nothing is left to wait on, or hang on a
 * timer forever) and a `process.exit()` in the config (which would end multiarch with code 0 and no
 * output) both become a clear E_CONFIG_LOAD error. Edge: touches the process object.
 */
import process from 'node:process';
import { MultiarchError } from '../errors/multiarch-error.js';

/** Seconds a config's default export may take to settle; MULTIARCH_CONFIG_TIMEOUT overrides it. */
export const DEFAULT_CONFIG_TIMEOUT_SECONDS = 60;

export function configTimeoutSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const raw = Number(env.MULTIARCH_CONFIG_TIMEOUT);
  return Number.isFinite(raw) && raw > 0 ? raw : DEFAULT_CONFIG_TIMEOUT_SECONDS;
}

/** Thrown from inside the config where it called process.exit: execution must stop there too. */
const EXIT_MARK = Symbol.for('multiarch.config-exit');

/**
 * Runs `load` (import + await of the default export) with process.exit intercepted, and settles
 * within `timeoutSeconds` or as soon as the event loop drains with the config still pending.
 */
export async function settleConfig<T>(shown: string, load: () => Promise<T>, timeoutSeconds = configTimeoutSeconds()): Promise<T> {
  let exitCode: number | string | null | undefined;
  let exitCalled = false;
  let fail: (error: MultiarchError) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  const exitError = () =>
    new MultiarchError('E_CONFIG_LOAD', `${shown} called process.exit(${exitCode ?? ''}) while loading; multiarch stopped it`, {
      hint: 'a config describes the build; throw an Error instead of exiting, and multiarch reports it with the file and line',
    });
  const realExit = Object.getOwnPropertyDescriptor(process, 'exit');
  // Replaced by property, not assigned: multiarch never exits here, it only refuses the config's exit.
  Object.defineProperty(process, 'exit', {
    configurable: true,
    writable: true,
    value: (code?: number | string | null) => {
      exitCalled = true;
      exitCode = code;
      fail(exitError());
      throw Object.assign(new Error(`process.exit(${code ?? ''}) in the config`), { [EXIT_MARK]: true });
    },
  });
  const onDrain = () =>
    fail(
      new MultiarchError('E_CONFIG_LOAD', `${shown}: the config's default export never settles (the promise it exports waits on nothing that can finish)`, {
        hint: 'make the exported promise resolve to the config object (await what it needs), or export the object itself',
      }),
    );
  process.once('beforeExit', onDrain);
  const timer = setTimeout(
    () =>
      fail(
        new MultiarchError('E_CONFIG_LOAD', `${shown}: the config's default export did not settle within ${timeoutSeconds} s`, {
          hint: 'make the exported promise resolve sooner (it runs on every plan and apply), or raise MULTIARCH_CONFIG_TIMEOUT (seconds)',
        }),
      ),
    timeoutSeconds * 1000,
  );
  // Unref'd: a pending config must not keep the process alive; the drain check reports it instead.
  timer.unref();
  try {
    return await Promise.race([load(), failed]);
  } catch (error) {
    if (exitCalled) throw exitError();
    throw error;
  } finally {
    clearTimeout(timer);
    process.off('beforeExit', onDrain);
    if (realExit) Object.defineProperty(process, 'exit', realExit);
  }
}
