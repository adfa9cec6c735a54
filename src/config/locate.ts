/**
 * Config issue paths (`images.web.platforms[2]`) mapped back to where they are written in the
 * config's source, so errors can say `multiarch.config.ts:14:7` and show the line. The source is
 * parsed, never run, with ts-morph in memory: it follows the shapes people write (a
 * `defineConfig({…})` call, `satisfies`, `as const`, a `const` bound to an object, shorthand
 * properties, helper modules the config imports — see follow-source.ts) and stops at the deepest
 * node it can follow; a location in a helper module names that file. ts-morph takes about a
 * second to load, so it is imported only when there is something to locate. Pure (no I/O: the
 * caller's host reads imported modules).
 */
import path from 'node:path';
import type * as TsMorph from 'ts-morph';
import { createSourceProject, SourceFollower, type AnyNode, type Morph, type SourceHost } from './follow-source.js';
import type { ConfigIssue, ConfigPath } from './issue.js';
import type { LocatedIssue, SourceLocation } from './format-issues.js';

/** Each issue with the location of the property its path points to, where one can be found. */
export async function locateIssues(file: string, source: string, issues: readonly ConfigIssue[], host: SourceHost = {}): Promise<LocatedIssue[]> {
  if (issues.length === 0) return [];
  const tm = await import('ts-morph');
  const sourceFile = parse(tm, file, source);
  const follower = new SourceFollower(tm, sourceFile.getProject(), host);
  const root = follower.defaultExport(sourceFile);
  return issues.map((issue) => {
    const node = root ? findNode(tm, follower, root, issue.path) : undefined;
    return node ? { ...issue, location: locationOf(sourceFile, node) } : { ...issue };
  });
}

export interface SyntaxProblem {
  readonly message: string;
  readonly location: SourceLocation;
}

/** The first syntax error in the source as TypeScript reports it (what the editor shows), if any. */
export async function findSyntaxError(file: string, source: string): Promise<SyntaxProblem | undefined> {
  const tm = await import('ts-morph');
  const sourceFile = parse(tm, file, source);
  const [diagnostic] = sourceFile.getProject().getProgram().getSyntacticDiagnostics(sourceFile);
  if (!diagnostic) return undefined;
  const text = diagnostic.getMessageText();
  return {
    message: typeof text === 'string' ? text : text.getMessageText(),
    location: sourceFile.getLineAndColumnAtPos(diagnostic.getStart() ?? 0),
  };
}

/**
 * Where in `file` an error thrown while the config ran was raised, from its stack (each file of
 * the config runs compiled under its own path): the first frame in the config itself.
 */
export function locationFromStack(stack: string | undefined, file: string): SourceLocation | undefined {
  if (!stack) return undefined;
  for (const line of stack.split('\n')) {
    const at = line.lastIndexOf(file);
    if (at < 0) continue;
    const m = /^:(\d+):(\d+)/.exec(line.slice(at + file.length));
    if (m) return { line: Number(m[1]), column: Number(m[2]) };
  }
  return undefined;
}

/**
 * Where a helper module of the config (a file under `dir`, outside node_modules) raised an error,
 * when the innermost frame of the project is there rather than in the config: `file` is set.
 */
export function helperLocationFromStack(stack: string | undefined, file: string, dir: string): SourceLocation | undefined {
  for (const line of (stack ?? '').split('\n')) {
    // `    at fn (/abs/file.ts:4:9)` or `    at /abs/file.ts:4:9`, sometimes as a file:// URL.
    const m = /(?:\(|at )(?:file:\/\/)?(\/[^()]*?):(\d+):(\d+)\)?\s*$/.exec(line);
    if (!m || m[1]!.split('/').includes('node_modules')) continue;
    if (m[1] === file) return undefined;
    if (m[1]!.startsWith(`${dir}/`)) return { line: Number(m[2]), column: Number(m[3]), file: m[1]! };
  }
  return undefined;
}

function parse(tm: Morph, file: string, source: string): TsMorph.SourceFile {
  // The file's own path, so its relative imports resolve; the extension decides TS vs JS.
  const at = path.isAbsolute(file) ? file : path.join('/', file);
  const name = /\.[cm]?[jt]sx?$/.test(at) ? at : `${at}.ts`;
  return createSourceProject(tm).createSourceFile(name, source, { overwrite: true });
}

/** Where `node` starts; `file` only when that is not the config itself (a module it imports). */
function locationOf(config: TsMorph.SourceFile, node: AnyNode): SourceLocation {
  const sourceFile = node.getSourceFile();
  const { line, column } = sourceFile.getLineAndColumnAtPos(node.getStart());
  return sourceFile === config ? { line, column } : { line, column, file: sourceFile.getFilePath() };
}

/** The deepest node along `path`: the property or element it names, or the object that lacks it. */
function findNode(tm: Morph, follower: SourceFollower, root: AnyNode, path: ConfigPath): AnyNode {
  let found: AnyNode = root;
  let value: AnyNode | undefined = root;
  for (const segment of path) {
    const container: AnyNode | undefined = value ? follower.resolve(value) : undefined;
    if (!container) return found;
    if (typeof segment === 'number') {
      if (!tm.Node.isArrayLiteralExpression(container)) return container;
      // Spreads of known arrays are expanded; past a spread that cannot be followed indexes shift.
      const element: AnyNode | undefined = follower.elements(container).elements[segment];
      if (!element) return container;
      found = element;
      value = element;
      continue;
    }
    if (!tm.Node.isObjectLiteralExpression(container)) return container;
    const property = follower.findProperty(container, segment);
    if (!property) return container;
    found = property;
    value = follower.propertyValue(property);
  }
  return found;
}
