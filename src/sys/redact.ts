/**
 * The one place secrets are scrubbed. Credentials register themselves here the moment they are
 * read (registry passwords, tokens, identity tokens, their base64 forms); every event, log line and
 * error passes through `redact` before it reaches a terminal, a file or `--json`.
 */
const secrets = new Set<string>();

/** Remember a secret (and its encodings) so it can never be printed. Very short strings are ignored. */
export function registerSecret(secret: string | undefined): void {
  if (!secret || secret.length < 4) return;
  secrets.add(secret);
  secrets.add(Buffer.from(secret).toString('base64'));
  secrets.add(encodeURIComponent(secret));
}

/** `user:password` as Docker's config stores it, base64'd. */
export function registerBasicAuth(username: string, password: string): void {
  registerSecret(password);
  registerSecret(`${username}:${password}`);
}

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // `Authorization: Basic …` as a header line, and `"Authorization":"Basic …"` as JSON.
  [/(authorization"?\s*[:=]\s*"?)(basic|bearer)\s+[^\s"',]+/gi, '$1$2 ***'],
  [/("(?:password|secret|token|access_token|identitytoken|refresh_token|auth|Secret)"\s*:\s*")[^"]*(")/gi, '$1***$2'],
  [/\b(password|passwd|(?:access_|refresh_)?token)=([^\s&"']+)/gi, '$1=***'],
];

export function redact(text: string): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (out.includes(secret)) out = out.split(secret).join('***');
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Redacts every string inside a plain JSON value (events, summaries). */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map(redactDeep) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)])) as T;
  }
  return value;
}

/** For tests: forget registered secrets. */
export function clearSecrets(): void {
  secrets.clear();
}
