/**
 * Config issue paths (`images.web.platforms[2]`) mapped back to where they are written in the
 * config's source, so errors can say `multiarch.config.ts:14:7` and show the line. The source is
 * parsed, never run, with ts-morph in memory: it follows the shapes people write (a
 * `defineConfig({…})` call, `satisfies`, `as const`, a `const` bound to an object, shorthand
 * properties) and stops at the deepest node it can follow. ts-morph takes about a second to
 * load, so it is imported only when there is something to locate. Pure (no I/O).
 */
import type * as TsMorph from 'ts-morph';
import type { ConfigIssue, ConfigPath } from './issue.js';
import type { LocatedIssue, SourceLocation } from './format-issues.js';

type Morph = typeof TsMorph;
type AnyNode = TsMorph.Node;

/** Each issue with the location of the property its path points to, where one can be found. */
export async function locateIssues(file: string, source: string, issues: readonly ConfigIssue[]): Promise<LocatedIssue[]> {
  if (issues.length === 0) return [];
  const tm = await import('ts-morph');
  const sourceFile = parse(tm, file, source);
  const root = defaultExport(tm, sourceFile);
  return issues.map((issue) => {
    const node = root ? findNode(tm, root, issue.path) : undefined;
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
 * Where in `file` an error thrown while the config ran was raised, from its stack (jiti maps
 * frames back to the TypeScript source): the first frame in the config itself.
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

function parse(tm: Morph, file: string, source: string): TsMorph.SourceFile {
  const project = new tm.Project({
    useInMemoryFileSystem: true,
    // Parsing is all that is needed: no lib files, no module resolution, JS configs too.
    compilerOptions: { allowJs: true, noLib: true, noResolve: true, types: [] },
  });
  // The in-memory file system wants a plain path; keep the extension, it decides TS vs JS.
  const ext = /\.[cm]?[jt]sx?$/.exec(file)?.[0] ?? '.ts';
  return project.createSourceFile(`/multiarch.config${ext}`, source, { overwrite: true });
}

function locationOf(sourceFile: TsMorph.SourceFile, node: AnyNode): SourceLocation {
  return sourceFile.getLineAndColumnAtPos(node.getStart());
}

/** The expression behind `export default …` or `export { x as default }`. */
function defaultExport(tm: Morph, sourceFile: TsMorph.SourceFile): AnyNode | undefined {
  const assignment = sourceFile.getExportAssignment((e) => !e.isExportEquals());
  if (assignment) return assignment.getExpression();
  for (const declaration of sourceFile.getExportDeclarations()) {
    if (declaration.getModuleSpecifier()) continue;
    const spec = declaration.getNamedExports().find((s) => s.getAliasNode()?.getText() === 'default');
    if (spec) return spec.getNameNode();
  }
  // `module.exports = {…}` in a CommonJS config.
  for (const statement of sourceFile.getStatements()) {
    if (!tm.Node.isExpressionStatement(statement)) continue;
    const expr = statement.getExpression();
    if (tm.Node.isBinaryExpression(expr) && expr.getLeft().getText() === 'module.exports') return expr.getRight();
  }
  return undefined;
}

/** The deepest node along `path`: the property or element it names, or the object that lacks it. */
function findNode(tm: Morph, root: AnyNode, path: ConfigPath): AnyNode {
  let found: AnyNode = root;
  let value: AnyNode | undefined = root;
  for (const segment of path) {
    const container: AnyNode | undefined = value ? resolveValue(tm, value) : undefined;
    if (!container) return found;
    if (typeof segment === 'number') {
      if (!tm.Node.isArrayLiteralExpression(container)) return container;
      const elements: AnyNode[] = container.getElements();
      // A spread before the element shifts every index after it: stop at the array.
      if (elements.slice(0, segment + 1).some((e) => tm.Node.isSpreadElement(e))) return container;
      const element: AnyNode | undefined = elements[segment];
      if (!element) return container;
      found = element;
      value = element;
      continue;
    }
    if (!tm.Node.isObjectLiteralExpression(container)) return container;
    const property = findProperty(tm, container, segment, new Set());
    if (!property) return container;
    found = property;
    value = propertyValue(tm, property);
  }
  return found;
}

/** Sees through wrappers and names to the literal (object, array, value) an expression stands for. */
function resolveValue(tm: Morph, start: AnyNode): AnyNode | undefined {
  let node: AnyNode | undefined = start;
  const seen = new Set<AnyNode>();
  while (node && !seen.has(node)) {
    seen.add(node);
    const { Node } = tm;
    if (
      Node.isParenthesizedExpression(node) ||
      Node.isAsExpression(node) ||
      Node.isSatisfiesExpression(node) ||
      Node.isTypeAssertion(node) ||
      Node.isNonNullExpression(node)
    ) {
      node = node.getExpression();
    } else if (Node.isCallExpression(node) && /(^|\.)defineConfig$/.test(node.getExpression().getText())) {
      node = node.getArguments()[0];
    } else if (Node.isIdentifier(node)) {
      const next = declaredValue(node);
      if (!next) return node;
      node = next;
    } else {
      return node;
    }
  }
  return node;
}

/** The initializer of a top-level `const name = …` in the same file. */
function declaredValue(identifier: TsMorph.Identifier): AnyNode | undefined {
  const declaration = identifier.getSourceFile().getVariableDeclaration(identifier.getText());
  return declaration?.getInitializer();
}

/** The last property named `key` (later ones win, as at run time), looking into `...spread`s of known objects. */
function findProperty(tm: Morph, object: TsMorph.ObjectLiteralExpression, key: string, seen: Set<AnyNode>): AnyNode | undefined {
  seen.add(object);
  const properties = object.getProperties();
  for (let i = properties.length - 1; i >= 0; i--) {
    const property = properties[i]!;
    if (tm.Node.isSpreadAssignment(property)) {
      const spread = resolveValue(tm, property.getExpression());
      if (spread && tm.Node.isObjectLiteralExpression(spread) && !seen.has(spread)) {
        const inner = findProperty(tm, spread, key, seen);
        if (inner) return inner;
      }
      continue;
    }
    if (propertyName(tm, property) === key) return property;
  }
  return undefined;
}

function propertyName(tm: Morph, property: AnyNode): string | undefined {
  const { Node } = tm;
  if (Node.isShorthandPropertyAssignment(property)) return property.getName();
  if (!Node.isPropertyAssignment(property) && !Node.isMethodDeclaration(property)) return undefined;
  const name = property.getNameNode();
  if (Node.isIdentifier(name) || Node.isPrivateIdentifier(name)) return name.getText();
  if (Node.isStringLiteral(name) || Node.isNumericLiteral(name) || Node.isNoSubstitutionTemplateLiteral(name)) {
    return name.getLiteralText();
  }
  if (Node.isComputedPropertyName(name)) {
    // Only a literal key can be known without running the config.
    const expr = name.getExpression();
    if (Node.isStringLiteral(expr) || Node.isNoSubstitutionTemplateLiteral(expr)) return expr.getLiteralText();
  }
  return undefined;
}

function propertyValue(tm: Morph, property: AnyNode): AnyNode | undefined {
  const { Node } = tm;
  if (Node.isPropertyAssignment(property)) return property.getInitializer();
  // `{ web }` is `{ web: web }`: the value is whatever `web` is bound to.
  if (Node.isShorthandPropertyAssignment(property)) return property.getNameNode();
  return undefined;
}
