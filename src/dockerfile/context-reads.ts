/**
 * The context paths one build reads, from its Dockerfile as BuildKit runs it: the sources of each
 * `COPY`/`ADD` in the stages the target reaches (args and ENV expanded, globs kept as globs, a
 * directory meaning everything below it), `RUN --mount=type=bind` sources, nothing for
 * `--from=<stage or image>` or heredoc sources; `ADD <url>` is named as not hashable. Whatever
 * cannot be told from the Dockerfile alone (a variable only the base image may set, a target that
 * names no stage) means the whole context, with the reason — never a smaller set. Stages the
 * target does not reach read nothing. The legacy builder runs every stage up to the target, so
 * `allStages` reads them all. Not covered: `ONBUILD` triggers of a base image (invisible without
 * pulling it). Pure.
 */
import { flagValue, mountsOf } from './instruction.js';
import type { Dockerfile } from './read.js';
import { expandIn, reachableStages, resolveStages, type StageOptions, type Step } from './stages.js';

export interface ContextReads {
  /** Context-relative patterns (`/`-separated, cleaned; globs as written); `.` is everything. */
  readonly paths: readonly string[];
  /** Set when the build may read any file of the context: why. */
  readonly whole?: string;
  /** Remote sources (`ADD <url>`): read at build time, not hashable from here. */
  readonly notHashable: readonly string[];
}

export interface ContextReadsOptions extends StageOptions {
  readonly target?: string;
  readonly allStages?: boolean;
}

const REMOTE = /^(?:https?:\/\/|git@|git:\/\/|ssh:\/\/)/i;

export function contextReads(file: Dockerfile, options: ContextReadsOptions): ContextReads {
  const { stages, escape } = resolveStages(file, options);
  if (options.target && !stages.some((s) => s.name === options.target!.toLowerCase())) {
    return { paths: ['.'], whole: `the target stage "${options.target}" is not in the Dockerfile`, notHashable: [] };
  }
  const paths = new Set<string>();
  const notHashable: string[] = [];
  const unknown: string[] = [];
  const add = (step: Step, raw: string, what: string) => {
    const missing = new Set<string>();
    const value = expandIn(step, raw, escape, missing);
    // A NUL marks a value the caller cannot know yet (a ref() arg).
    if (value.includes('\u0000')) missing.add('(an image reference known only once it is pushed)');
    if (missing.size > 0) {
      unknown.push(`${what} "${raw}" (line ${step.instruction.line}) uses ${[...missing].map((m) => `$${m}`).join(', ')}, which the Dockerfile does not set (the base image may)`);
      return;
    }
    paths.add(cleanSource(value));
  };
  for (const i of reachableStages(stages, options.target, escape, options.allStages === true)) {
    for (const step of stages[i]!.steps) {
      const ins = step.instruction;
      if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
        const from = flagValue(ins, 'from');
        // From a stage or an image: no context file (an image is a base, see dockerfile-bases).
        if (from !== undefined) continue;
        const words = ins.json ? ins.json.map((s) => JSON.stringify(s)) : ins.words;
        for (const source of words.slice(0, -1)) {
          if (source.startsWith('<<')) continue;
          const plain = expandIn(step, source, escape);
          if (ins.keyword === 'ADD' && REMOTE.test(plain)) notHashable.push(plain);
          else add(step, source, `${ins.keyword} source`);
        }
      } else if (ins.keyword === 'RUN') {
        for (const mount of mountsOf(ins)) {
          if (mount.type !== 'bind' || mount.from !== undefined) continue;
          add(step, mount.source ?? '.', 'RUN --mount source');
        }
      }
    }
  }
  if (unknown.length > 0) return { paths: ['.'], whole: unknown.join('; '), notHashable };
  return { paths: [...paths].sort(), notHashable };
}

/** What several builds of one image (its platforms) read together. */
export function unionReads(all: readonly ContextReads[]): ContextReads {
  const whole = [...new Set(all.flatMap((r) => (r.whole ? [r.whole] : [])))];
  const notHashable = [...new Set(all.flatMap((r) => r.notHashable))];
  if (whole.length > 0) return { paths: ['.'], whole: whole.join('; '), notHashable };
  return { paths: [...new Set(all.flatMap((r) => r.paths))].sort(), notHashable };
}

/** Context-relative and cleaned as BuildKit does: `./a/../b/` → `b`, `/x` → `x`, `../x` → `x`. */
export function cleanSource(source: string): string {
  const parts: string[] = [];
  for (const part of source.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.length ? parts.join('/') : '.';
}

/** Whether the build reads `rel` (a context entry, `/`-separated): it or a parent matches a pattern. */
export function readsPath(reads: Pick<ContextReads, 'paths'>, rel: string): boolean {
  return compiled(reads.paths).some((re) => re.test(rel));
}

const patterns = new Map<string, RegExp>();

function compiled(paths: readonly string[]): RegExp[] {
  return paths.map((p) => {
    let re = patterns.get(p);
    if (!re) patterns.set(p, (re = p === '.' ? /^/ : new RegExp(`^${globSource(p)}(?:/.*)?$`, 's')));
    return re;
  });
}

/** Go's filepath.Match per segment (`*`, `?`, `[…]`, `\` escapes), `**` any depth (COPY --parents). */
function globSource(pattern: string): string {
  return pattern
    .split('/')
    .map((segment) => {
      if (segment === '**') return '.*';
      let out = '';
      for (let i = 0; i < segment.length; i++) {
        const ch = segment[i]!;
        if (ch === '*') out += '[^/]*';
        else if (ch === '?') out += '[^/]';
        else if (ch === '[') {
          const close = segment.indexOf(']', i + 2);
          if (close < 0) out += '\\[';
          else {
            const body = segment.slice(i + 1, close).replace(/^\^/, '!').replace(/\\/g, '\\\\');
            out += body.startsWith('!') ? `[^${body.slice(1)}]` : `[${body}]`;
            i = close;
          }
        } else if (ch === '\\' && i + 1 < segment.length) out += escapeRe(segment[++i]!);
        else out += escapeRe(ch);
      }
      return out;
    })
    .join('/')
    .replace(/^\.\*\//, '(?:.*/)?')
    .replace(/\/\.\*\//g, '(?:/.*)?/');
}

/**
 * Whether BuildKit would follow the symlink `link` for this source: the source is the link itself
 * or goes through it (BuildKit follows those, not links met while copying a directory). Then the
 * files read lie elsewhere. Conservative for `**`.
 */
export function followsLink(pattern: string, link: string): boolean {
  if (pattern === '.') return false;
  const segments = pattern.split('/');
  const depth = link.split('/').length;
  const star = segments.indexOf('**');
  if (star >= 0 && star < depth) return true;
  if (segments.length < depth) return false;
  return new RegExp(`^${globSource(segments.slice(0, depth).join('/'))}$`, 's').test(link);
}

function escapeRe(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
