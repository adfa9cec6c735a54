/**
 * A config's source seen as something safe to edit: the object behind `export default`, its
 * `images` and `registries`, each image's object — followed through `defineConfig`, names and
 * spreads of known objects, but only while every key that could matter is written out. Spreads of
 * function calls, computed keys, values from other modules: the edit is refused with where and
 * what to change by hand, since editing around them could silently do the wrong thing. Pure.
 */
import type * as TsMorph from 'ts-morph';
import { createSourceProject, SourceFollower, type AnyNode, type Morph, type SourceHost } from '../config/follow-source.js';
import type { SourceLocation } from '../config/format-issues.js';

/** Why an edit cannot be made safely, where, and what to do by hand instead. */
export class EditRefusal extends Error {
  constructor(
    message: string,
    readonly location: SourceLocation | undefined,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'EditRefusal';
  }
}

export interface FoundProperty {
  readonly property: AnyNode;
  /** What the property's value resolves to (an object or array literal, or the last node reached). */
  readonly value: AnyNode;
}

export class StaticConfig {
  readonly sourceFile: TsMorph.SourceFile;
  readonly follower: SourceFollower;
  readonly root: TsMorph.ObjectLiteralExpression;

  constructor(
    readonly tm: Morph,
    file: string,
    readonly source: string,
    host: SourceHost = {},
  ) {
    this.sourceFile = createSourceProject(tm).createSourceFile(file, source, { overwrite: true });
    this.follower = new SourceFollower(tm, this.sourceFile.getProject(), host);
    const exported = this.follower.defaultExport(this.sourceFile);
    if (!exported) throw new EditRefusal('the config has no `export default` to edit', undefined, 'export the config: export default defineConfig({ images: { … } })');
    const root = this.follower.resolve(exported);
    this.root = this.objectOrRefuse(root, 'the exported config', 'export the config object itself: export default defineConfig({ … })');
  }

  /** `images`' object: where images are listed. */
  images(): TsMorph.ObjectLiteralExpression {
    const found = this.property(this.root, 'images', 'the config');
    if (!found) throw this.refuse(this.root, 'the config has no images to edit', 'add images: { … } to the config');
    return this.objectOrRefuse(found.value, 'images', 'write images as an object literal: images: { web: { … } }');
  }

  /** `registries`' object, or undefined when the config has none. */
  registries(): TsMorph.ObjectLiteralExpression | undefined {
    const found = this.property(this.root, 'registries', 'the config');
    return found && this.objectOrRefuse(found.value, 'registries', 'write registries as an object literal: registries: { hub: { url: "docker.io" } }');
  }

  /** An image's object, by name. */
  image(name: string): TsMorph.ObjectLiteralExpression {
    const found = this.property(this.images(), name, 'images');
    if (!found) throw this.refuse(this.images(), `image "${name}" is not written out in images`, `add it by hand, or check the name`);
    return this.objectOrRefuse(found.value, `images.${name}`, `write images.${name} as an object literal`);
  }

  /** The names of the images, every one of them written as a key. */
  imageNames(): string[] {
    return this.keys(this.images(), 'images');
  }

  /**
   * The property `key` of `object` as it is at run time: the last one written, unless a spread
   * after it (or any spread, when there is none) could hold the key without it being known.
   */
  property(object: TsMorph.ObjectLiteralExpression, key: string, where: string): FoundProperty | undefined {
    const { Node } = this.tm;
    const properties = object.getProperties();
    for (let i = properties.length - 1; i >= 0; i--) {
      const property = properties[i]!;
      if (Node.isSpreadAssignment(property)) {
        const spread = this.follower.resolve(property.getExpression());
        if (!Node.isObjectLiteralExpression(spread)) throw this.dynamic(property, where);
        const inner = this.property(spread, key, where);
        if (inner) return inner;
        continue;
      }
      const name = this.follower.propertyName(property);
      if (name === undefined) throw this.computed(property, where);
      if (name !== key) continue;
      const value = this.follower.propertyValue(property);
      return { property, value: value ? this.follower.resolve(value) : property };
    }
    return undefined;
  }

  /** Every key of `object`, refusing when one cannot be known without running the config. */
  keys(object: TsMorph.ObjectLiteralExpression, where: string): string[] {
    const { Node } = this.tm;
    const keys: string[] = [];
    for (const property of object.getProperties()) {
      if (Node.isSpreadAssignment(property)) {
        const spread = this.follower.resolve(property.getExpression());
        if (!Node.isObjectLiteralExpression(spread)) throw this.dynamic(property, where);
        keys.push(...this.keys(spread, where));
        continue;
      }
      const name = this.follower.propertyName(property);
      if (name === undefined) throw this.computed(property, where);
      if (!keys.includes(name)) keys.push(name);
    }
    return keys;
  }

  /** Whether `node` is written in the config file itself (edits never reach into other modules). */
  isLocal(node: AnyNode): boolean {
    return node.getSourceFile() === this.sourceFile;
  }

  refuse(node: AnyNode, message: string, hint: string): EditRefusal {
    return new EditRefusal(message, this.locationOf(node), hint);
  }

  /** Where `node` starts; `file` set when that is another module. */
  locationOf(node: AnyNode): SourceLocation {
    const sourceFile = node.getSourceFile();
    const { line, column } = sourceFile.getLineAndColumnAtPos(node.getStart());
    return sourceFile === this.sourceFile ? { line, column } : { line, column, file: sourceFile.getFilePath() };
  }

  private objectOrRefuse(node: AnyNode, what: string, hint: string): TsMorph.ObjectLiteralExpression {
    if (!this.tm.Node.isObjectLiteralExpression(node)) {
      throw this.refuse(node, `${what} is computed (\`${excerpt(node)}\`), not written out, so it cannot be edited safely`, hint);
    }
    if (!this.isLocal(node)) {
      throw this.refuse(node, `${what} is written in another module, which multiarch does not edit`, 'make the change there by hand');
    }
    return node;
  }

  private dynamic(spread: AnyNode, where: string): EditRefusal {
    return this.refuse(
      spread,
      `${where} spreads \`${excerpt(spread)}\`, whose keys are only known when the config runs`,
      `make the change by hand, or write the entries of ${where} out as object literals (a spread of a const object literal is fine)`,
    );
  }

  private computed(property: AnyNode, where: string): EditRefusal {
    return this.refuse(
      property,
      `${where} has a computed key (\`${excerpt(property)}\`), only known when the config runs`,
      `make the change by hand, or write the key of ${where} as a plain name or string`,
    );
  }
}

function excerpt(node: AnyNode): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
