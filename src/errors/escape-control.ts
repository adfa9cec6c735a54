/**
 * Text from a config or a tool, made safe to print: control characters (ESC, BEL, CR, C1) shown as
 * `\x1b` instead of reaching the terminal, where they could recolour, retitle or rewrite what the
 * user sees. Newlines and tabs stay: messages and code frames are laid out with them. Pure.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
