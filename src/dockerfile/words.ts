/**
 * Dockerfile word rules: splitting an instruction's arguments into words (quotes kept) and
 * expanding `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`
 * with quote removal, as BuildKit's shell lexer does for `FROM`, `ARG`, `ENV`, `COPY`/`ADD`,
 * `WORKDIR` and flags. Pure.
 */

/** Variables in scope: a key present with `undefined` is declared (`ARG X`) but has no value. */
export type WordEnv = Readonly<Record<string, string | undefined>>;

/**
 * Names a word referred to that are not in scope at all: the base image's own `ENV` may set them,
 * so what the word expands to is not known from the Dockerfile alone.
 */
export type MissingNames = Set<string>;

/** Whitespace-separated words; quoted spans and escaped characters stay inside one word. */
export function splitWords(text: string, escape = '\\'): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | undefined;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === escape && quote !== "'" && i + 1 < text.length) {
      current += ch + text[++i];
      inWord = true;
    } else if (quote) {
      current += ch;
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current += ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/** One word with variables expanded and quotes removed. Unknown variables expand to "". */
export function expandWords(word: string, env: WordEnv, escape = '\\', missing?: MissingNames): string {
  let out = '';
  let i = 0;
  const variable = (): string => {
    // at the character after '$'
    if (word[i] === '{') {
      const close = matchingBrace(word, i);
      const body = word.slice(i + 1, close);
      i = close + 1;
      return expandBraced(body, env, escape, missing);
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(word.slice(i))?.[0];
    if (!name) return '$';
    i += name.length;
    if (missing && !(name in env)) missing.add(name);
    return env[name] ?? '';
  };
  let quote: string | undefined;
  while (i < word.length) {
    const ch = word[i++]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else out += ch;
    } else if (ch === escape && i < word.length) {
      out += word[i++];
    } else if (ch === '"') {
      quote = quote === '"' ? undefined : '"';
    } else if (ch === "'" && !quote) {
      quote = "'";
    } else if (ch === '$') {
      out += variable();
    } else {
      out += ch;
    }
  }
  return out;
}

function expandBraced(body: string, env: WordEnv, escape: string, missing?: MissingNames): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])(.*))?$/s.exec(body);
  if (!m) return '';
  const [, name, op, rest = ''] = m;
  if (missing && !(name! in env)) missing.add(name!);
  const value = env[name!];
  switch (op) {
    case undefined:
      return value ?? '';
    case ':-':
      return value ? value : expandWords(rest, env, escape, missing);
    case '-':
      return value !== undefined ? value : expandWords(rest, env, escape, missing);
    case ':+':
      return value ? expandWords(rest, env, escape, missing) : '';
    case '+':
      return value !== undefined ? expandWords(rest, env, escape, missing) : '';
    default:
      // ${VAR:?message} / ${VAR?message}: the build fails when unset; the planner keeps going.
      return value ?? '';
  }
}

function matchingBrace(word: string, open: number): number {
  let depth = 0;
  for (let k = open; k < word.length; k++) {
    if (word[k] === '{') depth++;
    else if (word[k] === '}' && --depth === 0) return k;
  }
  return word.length;
}
