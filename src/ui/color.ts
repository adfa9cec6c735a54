/**
 * When to colour output, and the few styles multiarch uses. Colour only on a TTY; `NO_COLOR` (any
 * non-empty value) or `CI` turn it off; `FORCE_COLOR` turns it on (`0`/`false` off); an explicit
 * `--color` / `--no-color` flag wins over everything. Styles become identity functions when colour
 * is off, so callers never branch. Pure: the environment is an argument.
 */

export interface ColorOptions {
  readonly isTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `--color` (true) / `--no-color` (false); undefined when neither was given. */
  readonly flag?: boolean;
}

const isSet = (value: string | undefined): value is string => value !== undefined && value !== '';
const isFalsy = (value: string) => value === '0' || value.toLowerCase() === 'false';

/** `CI=true`, `CI=1`, `CI=woodpecker`… but not `CI=false` / `CI=0`. */
export function isCI(env: ColorOptions['env']): boolean {
  return isSet(env.CI) && !isFalsy(env.CI);
}

export function shouldUseColor({ isTTY, env, flag }: ColorOptions): boolean {
  if (flag !== undefined) return flag;
  if (env.FORCE_COLOR !== undefined) return !isFalsy(env.FORCE_COLOR);
  if (isSet(env.NO_COLOR)) return false;
  if (isCI(env)) return false;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

export type StyleFn = (text: string) => string;

export interface Style {
  readonly enabled: boolean;
  readonly bold: StyleFn;
  readonly dim: StyleFn;
  readonly red: StyleFn;
  readonly green: StyleFn;
  readonly yellow: StyleFn;
  readonly cyan: StyleFn;
}

const sgr =
  (open: number, close: number): StyleFn =>
  (text) =>
    text === '' ? text : `\u001b[${open}m${text}\u001b[${close}m`;

const identity: StyleFn = (text) => text;

export function createStyle(enabled: boolean): Style {
  if (!enabled) {
    return { enabled, bold: identity, dim: identity, red: identity, green: identity, yellow: identity, cyan: identity };
  }
  return {
    enabled,
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    cyan: sgr(36, 39),
  };
}
