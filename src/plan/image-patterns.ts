/**
 * `--image` patterns: an exact name, or a glob as monorepos name images by folder — `*` and `?`
 * stay within one `/`-separated part (`svc-*`, `web/*`), `**` crosses them (`web/**`), `[abc]` is
 * a class. A pattern without glob characters is an exact name (so the error for a typo can
 * suggest the closest name). Pure.
 */
export interface PatternMatch {
  /** Matched names, in the order of `names`, each once. */
  readonly images: readonly string[];
  /** Patterns that matched no name, as given. */
  readonly unmatched: readonly string[];
}

export function isImagePattern(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

export function matchImages(names: readonly string[], patterns: readonly string[]): PatternMatch {
  const matched = new Set<string>();
  const unmatched: string[] = [];
  for (const pattern of patterns) {
    const test = isImagePattern(pattern) ? globToRegExp(pattern) : undefined;
    const hits = names.filter((name) => (test ? test.test(name) : name === pattern));
    if (hits.length === 0) unmatched.push(pattern);
    for (const hit of hits) matched.add(hit);
  }
  return { images: names.filter((n) => matched.has(n)), unmatched };
}

/** `web/**` → /^web\/.*$/ ; `svc-?` → /^svc-[^/]$/ ; `[ab]*` → /^[ab][^/]*$/. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `a/**` also matches `a` itself? No: like gitignore, `web/**` is what is inside web/.
        source += '.*';
        i++;
      } else source += '[^/]*';
    } else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) source += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        source += `[${body}]`;
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
