/**
 * `.dockerignore` exactly as Docker reads and applies it, re-implemented from its documented and
 * observable behaviour (moby/patternmatcher, the ignore-file reader, and BuildKit's context walk):
 * - the file: a UTF-8 BOM is dropped, lines starting with `#` are comments, each pattern is trimmed,
 *   cleaned like Go's `filepath.Clean`, and a leading `/` removed (`!` kept in front);
 * - a pattern is anchored at the context root: Go `filepath.Match` syntax (`*`, `?`, `[…]`, `\`)
 *   plus `**` for any number of directories; a pattern that matches a directory matches all of it;
 * - patterns apply in order and the last one that matches wins (`!` re-includes);
 * - the walk: a path's result builds on its parent directory's, pattern by pattern, and an
 *   excluded directory is not entered when no `!` pattern could re-include anything inside it.
 * Docker clients up to 20.10 (their BuildKit context sender and their classic builder) apply the
 * older rules instead: patterns are plain regular expressions (no `**name` suffix shortcut) and a
 * path's parents are checked only at the depth of each pattern (`matchSingleParent`); see
 * context-rules.ts for which builder uses which. Pure.
 */

export interface IgnorePattern {
  /** The cleaned pattern without its `!`. */
  readonly text: string;
  readonly exclusion: boolean;
  /** Path segments in the pattern (how deep a parent the older rules check). */
  readonly depth: number;
  readonly match: (path: string) => boolean;
}

export interface IgnoreMatcher {
  readonly patterns: readonly IgnorePattern[];
  /** Some pattern starts with `!`. */
  readonly hasExclusions: boolean;
  /** No `!` pattern has a wildcard before a trailing `/*` or `/**`: directories can be skipped. */
  readonly prefixOnlyExclusions: boolean;
}

/** Per pattern: whether the directory (or one of its parents) matched it. */
export type ParentMatches = readonly boolean[];

export class IgnoreSyntaxError extends Error {}

/** The patterns of an ignore file, in order, as Docker's reader returns them. */
export function parseIgnoreFile(text: string): string[] {
  const patterns: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  // A final newline does not start another line.
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) {
    if (line.startsWith('#')) continue;
    let pattern = line.trim();
    if (pattern === '') continue;
    const invert = pattern.startsWith('!');
    if (invert) pattern = pattern.slice(1).trim();
    if (pattern.length > 0) {
      pattern = goClean(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    patterns.push(invert ? `!${pattern}` : pattern);
  }
  return patterns;
}

export interface CompileOptions {
  /** Docker up to 20.10: every pattern a regular expression, without the exact/prefix/suffix shortcuts. */
  readonly regexpOnly?: boolean;
}

/** Compiles patterns (as from parseIgnoreFile); throws IgnoreSyntaxError for what Docker rejects. */
export function compileIgnore(patterns: readonly string[], options: CompileOptions = {}): IgnoreMatcher {
  const compiled: IgnorePattern[] = [];
  for (const raw of patterns) {
    let p = raw.trim();
    if (p === '') continue;
    p = goClean(p);
    let exclusion = false;
    if (p.startsWith('!')) {
      if (p.length === 1) throw new IgnoreSyntaxError('illegal exclusion pattern: "!"');
      exclusion = true;
      p = p.slice(1);
    }
    if (!isValidGlob(p)) throw new IgnoreSyntaxError(`syntax error in pattern: ${JSON.stringify(raw)}`);
    compiled.push({ text: p, exclusion, depth: p.split('/').length, match: compilePattern(p, options.regexpOnly === true) });
  }
  const specials = /[*[\]?^\\]/;
  return {
    patterns: compiled,
    hasExclusions: compiled.some((p) => p.exclusion),
    prefixOnlyExclusions: !compiled.some((p) => p.exclusion && specials.test(withoutTrailingGlob(p.text))),
  };
}

/**
 * Whether `path` (slash-separated, relative to the context) is excluded, given its parent
 * directory's per-pattern results (`undefined` for entries at the root, whose parents are then
 * checked directly). Returns the results to hand to its children when it is a directory.
 */
export function matchPath(matcher: IgnoreMatcher, path: string, parent?: ParentMatches): { excluded: boolean; matches: boolean[] } {
  let matched = false;
  const matches = new Array<boolean>(matcher.patterns.length).fill(false);
  const parentDirs = parent === undefined ? ancestors(path) : [];
  matcher.patterns.forEach((pattern, i) => {
    let match = parent?.[i] ?? false;
    if (!match) {
      // Only a pattern that could change the result is evaluated.
      if (pattern.exclusion !== matched) return;
      match = pattern.match(path) || parentDirs.some((dir) => pattern.match(dir));
    }
    matches[i] = match;
    if (match) matched = !pattern.exclusion;
  });
  return { excluded: matched, matches };
}

/**
 * Docker 20.10's rule: the path itself, or its parent directory cut to the pattern's depth,
 * matches; the last pattern that matches decides.
 */
export function matchSingleParent(matcher: IgnoreMatcher, path: string): boolean {
  let matched = false;
  const parents = path.split('/').slice(0, -1);
  for (const pattern of matcher.patterns) {
    let match = pattern.match(path);
    if (!match && parents.length > 0 && pattern.depth <= parents.length) match = pattern.match(parents.slice(0, pattern.depth).join('/'));
    if (match) matched = !pattern.exclusion;
  }
  return matched;
}

/** Whether an excluded directory can be left unvisited: nothing inside can be re-included. */
export function canSkipExcludedDir(matcher: IgnoreMatcher, dir: string): boolean {
  if (!matcher.prefixOnlyExclusions) return false;
  if (!matcher.hasExclusions) return true;
  const prefix = `${dir}/`;
  return !matcher.patterns.some((p) => p.exclusion && `${withoutTrailingGlob(p.text)}/`.startsWith(prefix));
}

/** Whether a path is excluded, walking its directories from the root as the build does. */
export function isExcluded(matcher: IgnoreMatcher, path: string): boolean {
  const parts = path.split('/');
  let parent: ParentMatches | undefined;
  for (let i = 1; i < parts.length; i++) {
    const dir = parts.slice(0, i).join('/');
    const r = matchPath(matcher, dir, parent);
    if (r.excluded && canSkipExcludedDir(matcher, dir)) return true;
    parent = r.matches;
  }
  return matchPath(matcher, path, parent).excluded;
}

function ancestors(path: string): string[] {
  const parts = path.split('/');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join('/'));
  return out;
}

function withoutTrailingGlob(text: string): string {
  return text.replace(/\/\*\*$/, '').replace(/\/\*$/, '');
}

/** Go's `filepath.Clean` for `/`-separated paths. */
export function goClean(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const out: string[] = [];
  let floor = 0;
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > floor) out.pop();
      else if (!rooted) {
        out.push('..');
        floor = out.length;
      }
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

/** The pattern as a predicate: exact, prefix (`dir/**`), suffix (`**‍/name`) or a regular expression. */
function compilePattern(pattern: string, regexpOnly: boolean): (path: string) => boolean {
  let re = '^';
  let type: 'exact' | 'prefix' | 'suffix' | 'regexp' = 'exact';
  const chars = [...pattern];
  for (let i = 0, k = 0; i < chars.length; k++) {
    const ch = chars[i++]!;
    if (ch === '*') {
      if (chars[i] === '*') {
        i++;
        if (chars[i] === '/') i++;
        if (i >= chars.length) {
          re += '.*';
          type = type === 'exact' ? 'prefix' : 'regexp';
        } else {
          re += '(.*/)?';
          type = 'regexp';
        }
        if (k === 0) type = 'suffix';
      } else {
        re += '[^/]*';
        type = 'regexp';
      }
    } else if (ch === '?') {
      re += '[^/]';
      type = 'regexp';
    } else if ('.+()|{}$'.includes(ch)) {
      re += `\\${ch}`;
    } else if (ch === '\\') {
      if (i < chars.length) {
        re += `\\${chars[i++]}`;
        type = 'regexp';
      } else re += '\\\\';
    } else if (ch === '[' || ch === ']') {
      re += ch;
      type = 'regexp';
    } else {
      re += ch;
    }
  }
  if (regexpOnly) {
    const regexp = toRegExp(`${re}$`, pattern);
    return (path) => regexp.test(path);
  }
  switch (type) {
    case 'exact':
      return (path) => path === pattern;
    case 'prefix': {
      const prefix = pattern.slice(0, -2);
      return (path) => path.startsWith(prefix);
    }
    case 'suffix': {
      const suffix = pattern.slice(2);
      return (path) => path.endsWith(suffix) || (suffix.startsWith('/') && path === suffix.slice(1));
    }
    case 'regexp': {
      const regexp = toRegExp(`${re}$`, pattern);
      return (path) => regexp.test(path);
    }
  }
}

/** Go's `filepath.Match` syntax check: character classes well formed, no trailing backslash. */
function isValidGlob(pattern: string): boolean {
  const chars = [...pattern];
  let i = 0;
  // One possibly escaped class character; false when Go reports ErrBadPattern.
  const classChar = (): boolean => {
    if (i >= chars.length || chars[i] === '-' || chars[i] === ']') return false;
    if (chars[i] === '\\') {
      i++;
      if (i >= chars.length) return false;
    }
    i++;
    return i < chars.length;
  };
  while (i < chars.length) {
    const ch = chars[i++];
    if (ch === '\\') {
      if (i >= chars.length) return false;
      i++;
    } else if (ch === '[') {
      if (chars[i] === '^') i++;
      let ranges = 0;
      for (;;) {
        if (i < chars.length && chars[i] === ']' && ranges > 0) {
          i++;
          break;
        }
        if (!classChar()) return false;
        if (chars[i] === '-') {
          i++;
          if (!classChar()) return false;
        }
        ranges++;
      }
    }
  }
  return true;
}

/** Unicode-aware like Go's, falling back to plain mode for escapes only Go's syntax accepts. */
function toRegExp(source: string, pattern: string): RegExp {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(source, flags);
    } catch {
      // try the next mode
    }
  }
  throw new IgnoreSyntaxError(`syntax error in pattern: ${JSON.stringify(pattern)}`);
}
