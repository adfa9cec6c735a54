/** A failure as a person reads it: headline, details, then the fix. Pure. */
import type { SerializedError } from './serialized-error.js';
import { escapeControl } from './escape-control.js';
import { isMultiarchError } from './multiarch-error.js';

export interface FormatOptions {
  readonly color: boolean;
}

export function serializeError(error: unknown): SerializedError {
  if (isMultiarchError(error)) {
    return {
      code: error.code,
      message: error.message,
      ...(error.hint ? { hint: error.hint } : {}),
      ...(error.details?.length ? { details: error.details } : {}),
      ...(error.location ? { location: { file: error.location.file, line: error.location.line } } : {}),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'E_INTERNAL', message, hint: 'this is a bug in multiarch; please report it with the output above' };
}

export function formatError(error: SerializedError, { color }: FormatOptions): string {
  const red = (s: string) => (color ? `\u001b[31m${s}\u001b[39m` : s);
  const dim = (s: string) => (color ? `\u001b[2m${s}\u001b[22m` : s);
  // Escaped before colour is added: the only escape sequences printed are multiarch's own.
  const lines = [`${red('error')} ${escapeControl(error.message)}`];
  for (const d of error.details ?? []) lines.push(`  ${escapeControl(d)}`);
  if (error.hint) lines.push(`${dim('hint:')} ${escapeControl(error.hint)}`);
  return lines.join('\n');
}
