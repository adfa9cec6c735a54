/**
 * Following a config's source, without running it, to the literal a value comes from: through
 * `defineConfig(…)`, `satisfies`/`as`/parentheses, names bound by a top-level `const`, imports of
 * relative modules (`import { platforms } from './platforms.ts'`, `import * as shared from …`,
 * re-exports), property access on known objects, and spreads of known arrays and objects. Shared
 * by error locations (locate.ts) and by config edits (config-edit/). Pure: the text of imported
 * modules comes from the caller's `readFile`.
 */
import path from 'node:path';
import type * as TsMorph from 'ts-morph';

export type Morph = typeof TsMorph;
export type AnyNode = TsMorph.Node;

export interface SourceHost {
  /** The text of a module the config imports, by absolute path; undefined when there is none. */
  readonly readFile?: (file: string) => string | undefined;
}

/** A parse-only in-memory project: no lib files, no module resolution, JS configs too. */
export function createSourceProject(tm: Morph): TsMorph.Project {
  return new tm.Project({
    useInMemoryFileSystem: true,
    compilerOptions: { allowJs: true, noLib: true, noResolve: true, types: [] },
  });
}

/** `./platforms` may be written as `./platforms.ts`, `./platforms.js` (meaning .ts), or bare. */
export function moduleCandidates(resolved: string): string[] {
  const ext = path.extname(resolved);
  if (['.ts', '.mts', '.cts', '.tsx'].includes(ext)) return [resolved];
  const stem = ext ? resolved.slice(0, -ext.length) : resolved;
  const fromJs: Record<string, string[]> = { '.js': ['.ts', '.tsx', '.js'], '.mjs': ['.mts', '.mjs'], '.cjs': ['.cts', '.cjs'] };
  if (fromJs[ext]) return fromJs[ext].map((e) => stem + e);
  return [...['.ts', '.mts', '.js', '.mjs'].map((e) => resolved + e), ...['index.ts', 'index.js'].map((i) => path.join(resolved, i))];
}

export interface ArrayElements {
  /** Elements in run-time order, spreads of known arrays expanded in place. */
  readonly elements: AnyNode[];
  /** The first spread that could not be followed: elements after it have unknown indexes. */
  readonly unknownSpread?: AnyNode;
}

export class SourceFollower {
  constructor(
    private readonly tm: Morph,
    private readonly project: TsMorph.Project,
    private readonly host: SourceHost = {},
  ) {}

  /** The expression behind `export default …`, `export { x as default }` or `module.exports = …`. */
  defaultExport(sourceFile: TsMorph.SourceFile): AnyNode | undefined {
    const assignment = sourceFile.getExportAssignment((e) => !e.isExportEquals());
    if (assignment) return assignment.getExpression();
    for (const declaration of sourceFile.getExportDeclarations()) {
      if (declaration.getModuleSpecifier()) continue;
      const spec = declaration.getNamedExports().find((s) => s.getAliasNode()?.getText() === 'default');
      if (spec) return spec.getNameNode();
    }
    for (const statement of sourceFile.getStatements()) {
      if (!this.tm.Node.isExpressionStatement(statement)) continue;
      const expr = statement.getExpression();
      if (this.tm.Node.isBinaryExpression(expr) && expr.getLeft().getText() === 'module.exports') return expr.getRight();
    }
    return undefined;
  }

  /**
   * Sees through wrappers and names to the literal (object, array, value) an expression stands for;
   * the last node it reached when it can go no further. A namespace import resolves to its module.
   */
  resolve(start: AnyNode): AnyNode {
    let node = start;
    const seen = new Set<AnyNode>();
    while (!seen.has(node)) {
      seen.add(node);
      const next = this.step(node);
      if (!next) return node;
      node = next;
    }
    return node;
  }

  /** The last property named `key` (later ones win, as at run time), looking into spreads of known objects. */
  findProperty(object: TsMorph.ObjectLiteralExpression, key: string, seen = new Set<AnyNode>()): AnyNode | undefined {
    const { Node } = this.tm;
    seen.add(object);
    const properties = object.getProperties();
    for (let i = properties.length - 1; i >= 0; i--) {
      const property = properties[i]!;
      if (Node.isSpreadAssignment(property)) {
        const spread = this.resolve(property.getExpression());
        if (Node.isObjectLiteralExpression(spread) && !seen.has(spread)) {
          const inner = this.findProperty(spread, key, seen);
          if (inner) return inner;
        }
        continue;
      }
      if (this.propertyName(property) === key) return property;
    }
    return undefined;
  }

  /** A property's key as a string, when it can be known without running the config. */
  propertyName(property: AnyNode): string | undefined {
    const { Node } = this.tm;
    if (Node.isShorthandPropertyAssignment(property)) return property.getName();
    if (!Node.isPropertyAssignment(property) && !Node.isMethodDeclaration(property)) return undefined;
    const name = property.getNameNode();
    if (Node.isIdentifier(name) || Node.isPrivateIdentifier(name)) return name.getText();
    if (Node.isStringLiteral(name) || Node.isNumericLiteral(name) || Node.isNoSubstitutionTemplateLiteral(name)) return name.getLiteralText();
    if (Node.isComputedPropertyName(name)) {
      const expr = name.getExpression();
      if (Node.isStringLiteral(expr) || Node.isNoSubstitutionTemplateLiteral(expr)) return expr.getLiteralText();
    }
    return undefined;
  }

  /** The value a property stands for; `{ web }` is `{ web: web }`. */
  propertyValue(property: AnyNode): AnyNode | undefined {
    const { Node } = this.tm;
    if (Node.isPropertyAssignment(property)) return property.getInitializer();
    if (Node.isShorthandPropertyAssignment(property)) return property.getNameNode();
    return undefined;
  }

  elements(array: TsMorph.ArrayLiteralExpression, seen = new Set<AnyNode>()): ArrayElements {
    const { Node } = this.tm;
    seen.add(array);
    const elements: AnyNode[] = [];
    for (const element of array.getElements()) {
      if (!Node.isSpreadElement(element)) {
        elements.push(element);
        continue;
      }
      const spread = this.resolve(element.getExpression());
      if (!Node.isArrayLiteralExpression(spread) || seen.has(spread)) return { elements, unknownSpread: element };
      const inner = this.elements(spread, seen);
      elements.push(...inner.elements);
      if (inner.unknownSpread) return { elements, unknownSpread: inner.unknownSpread };
    }
    return { elements };
  }

  private step(node: AnyNode): AnyNode | undefined {
    const { Node } = this.tm;
    if (
      Node.isParenthesizedExpression(node) ||
      Node.isAsExpression(node) ||
      Node.isSatisfiesExpression(node) ||
      Node.isTypeAssertion(node) ||
      Node.isNonNullExpression(node)
    ) {
      return node.getExpression();
    }
    if (Node.isCallExpression(node) && /(^|\.)defineConfig$/.test(node.getExpression().getText())) return node.getArguments()[0];
    if (Node.isIdentifier(node)) return this.declared(node.getSourceFile(), node.getText(), new Set());
    if (Node.isPropertyAccessExpression(node)) {
      const target = this.resolve(node.getExpression());
      if (Node.isSourceFile(target)) return this.exported(target, node.getName(), new Set());
      if (!Node.isObjectLiteralExpression(target)) return undefined;
      const property = this.findProperty(target, node.getName());
      return property && this.propertyValue(property);
    }
    return undefined;
  }

  /** What a top-level name of `file` is bound to: a `const`'s initializer, or what an import brings. */
  private declared(file: TsMorph.SourceFile, name: string, seen: Set<string>): AnyNode | undefined {
    const key = `${file.getFilePath()}#${name}`;
    if (seen.has(key)) return undefined;
    seen.add(key);
    const variable = file.getVariableDeclaration(name);
    if (variable) return variable.getInitializer();
    for (const declaration of file.getImportDeclarations()) {
      const specifier = declaration.getModuleSpecifierValue();
      if (declaration.getDefaultImport()?.getText() === name) return this.importedExport(file, specifier, 'default', seen);
      if (declaration.getNamespaceImport()?.getText() === name) return this.module(file, specifier);
      const named = declaration.getNamedImports().find((n) => (n.getAliasNode()?.getText() ?? n.getName()) === name);
      if (named) return this.importedExport(file, specifier, named.getName(), seen);
    }
    return undefined;
  }

  private importedExport(from: TsMorph.SourceFile, specifier: string, name: string, seen: Set<string>): AnyNode | undefined {
    const mod = this.module(from, specifier);
    return mod && this.exported(mod, name, seen);
  }

  /** The value `mod` exports as `name`: `export const`, `export default`, `export { x as name }`, re-exports. */
  private exported(mod: TsMorph.SourceFile, name: string, seen: Set<string>): AnyNode | undefined {
    if (name === 'default') {
      const value = this.defaultExport(mod);
      if (value) return value;
    }
    const variable = mod.getVariableDeclaration(name);
    if (variable?.isExported()) return variable.getInitializer();
    for (const declaration of mod.getExportDeclarations()) {
      const target = declaration.getModuleSpecifierValue();
      const spec = declaration.getNamedExports().find((s) => (s.getAliasNode()?.getText() ?? s.getName()) === name);
      if (spec) return target ? this.importedExport(mod, target, spec.getName(), seen) : this.declared(mod, spec.getName(), seen);
      if (target && declaration.getNamedExports().length === 0 && !declaration.getNamespaceExport()) {
        const found = this.importedExport(mod, target, name, seen);
        if (found) return found;
      }
    }
    return undefined;
  }

  /** A relative module the file imports, parsed into the same project (read through the host). */
  private module(from: TsMorph.SourceFile, specifier: string): TsMorph.SourceFile | undefined {
    if (!specifier.startsWith('.') || !this.host.readFile) return undefined;
    for (const candidate of moduleCandidates(path.resolve(path.dirname(from.getFilePath()), specifier))) {
      const known = this.project.getSourceFile(candidate);
      if (known) return known;
      const text = this.host.readFile(candidate);
      if (text !== undefined) return this.project.createSourceFile(candidate, text, { overwrite: true });
    }
    return undefined;
  }
}
