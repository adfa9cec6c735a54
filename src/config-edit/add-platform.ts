/**
 * `multiarch add platform`: the platform appended to the platforms list of every chosen image.
 * A list several images share (`const platforms = […]`, a spread common object) is edited once
 * when every image using it is chosen; otherwise the chosen image's own `platforms` becomes
 * `[...platforms, 'linux/arm/v7']`, so the others stay as they are. Pure.
 */
import type * as TsMorph from 'ts-morph';
import type { AnyNode, Morph, SourceHost } from '../config/follow-source.js';
import { formatPlatform, parsePlatform } from '../config/platform.js';
import type { EditResult } from './add-image.js';
import { appendEntries, applyEdits, detectStyle, type SourceStyle, type TextEdit } from './list-edit.js';
import { quoteString } from './print-ts.js';
import { StaticConfig } from './static-config.js';

export interface AddPlatformRequest {
  /** Canonical, e.g. `linux/arm/v7`. */
  readonly platform: string;
  /** The images to add it to; every image when absent. */
  readonly images?: readonly string[];
  /** Images known (from loading the config) to have it already; else their lists are read. */
  readonly have?: ReadonlySet<string>;
}

/** Where an image's platforms come from. */
interface PlatformsSite {
  readonly image: TsMorph.ObjectLiteralExpression;
  /** The `platforms` property (in the image's object, or in an object it spreads). */
  readonly property: AnyNode;
  /** The property's value as written: `[…]`, `platforms`, `shared.platforms`… */
  readonly written: AnyNode;
  /** What that value resolves to: the array literal to append to, when it is one. */
  readonly list: AnyNode;
}

export function addPlatform(tm: Morph, file: string, source: string, request: AddPlatformRequest, host: SourceHost = {}): EditResult {
  const config = new StaticConfig(tm, file, source, host);
  const style = detectStyle(config.sourceFile, tm);
  let all: string[];
  let hidden = false;
  try {
    all = config.imageNames();
  } catch (error) {
    // Images behind a spread of a call: fine when the chosen ones are written out, but they may
    // share a list with the hidden ones, so shared lists are not edited then.
    if (!request.images) throw error;
    all = [...request.images];
    hidden = true;
  }
  const chosen = request.images ?? all;
  for (const name of chosen) if (!all.includes(name)) config.image(name);
  const sites = new Map<string, PlatformsSite | undefined>();
  for (const name of all) {
    try {
      sites.set(name, siteOf(config, name));
    } catch (error) {
      // The images being changed must be editable; the others only matter if they share a list.
      if (chosen.includes(name)) throw error;
      sites.set(name, undefined);
    }
  }
  const unknown = hidden || [...sites.values()].some((s) => s === undefined);
  const edits: TextEdit[] = [];
  const notes: string[] = [];
  const byList = new Map<AnyNode, string[]>();
  for (const name of chosen) {
    const site = sites.get(name)!;
    const has = request.have ? request.have.has(name) : config.tm.Node.isArrayLiteralExpression(site.list) && hasPlatform(config, site.list, request.platform);
    if (has) {
      notes.push(`${name}: already built for ${request.platform}`);
      continue;
    }
    byList.set(site.list, [...(byList.get(site.list) ?? []), name]);
  }
  for (const [list, names] of byList) {
    const users = all.filter((n) => sites.get(n)?.list === list);
    const ownList = users.length === 1 && sites.get(users[0]!)!.written === list;
    const everyUser = users.every((u) => names.includes(u)) && (!unknown || ownList);
    if (tm.Node.isArrayLiteralExpression(list) && config.isLocal(list) && everyUser) {
      if (!hasPlatform(config, list, request.platform)) edits.push(...appendEntries(list, [() => quoteString(request.platform, style)], style));
      notes.push(`${names.join(', ')}: added to the platforms list at line ${list.getStartLineNumber()}${users.length > 1 ? ` (shared by ${users.join(', ')})` : ''}`);
      continue;
    }
    for (const name of names) {
      const site = sites.get(name)!;
      const sharing = all.filter((n) => n !== name && sites.get(n)?.image === site.image);
      if (sharing.length > 0) {
        throw config.refuse(site.image, `images.${name} is the same object as images.${sharing.join(', images.')}`, `add "${request.platform}" by hand, or give images.${name} an object of its own`);
      }
      edits.push(wrap(config, name, site, request.platform, style));
      notes.push(`${name}: platforms now adds it to what they were (${sites.get(name)!.written.getText().replace(/\s+/g, ' ')})`);
    }
  }
  return { text: applyEdits(source, edits), notes };
}

function siteOf(config: StaticConfig, name: string): PlatformsSite {
  const image = config.image(name);
  const found = config.property(image, 'platforms', `images.${name}`);
  if (!found) throw config.refuse(image, `images.${name} has no platforms list to add to`, `add platforms: [...] to images.${name} by hand`);
  const { Node } = config.tm;
  const property = found.property;
  const written = Node.isPropertyAssignment(property) ? property.getInitializer() : Node.isShorthandPropertyAssignment(property) ? property.getNameNode() : undefined;
  if (!written) throw config.refuse(property, `images.${name}.platforms is not a plain property`, 'write it as platforms: [...]');
  return { image, property, written, list: found.value };
}

/** `platforms: X` → `platforms: [...X, 'p']`, in the image's own object only. */
function wrap(config: StaticConfig, name: string, site: PlatformsSite, platform: string, style: SourceStyle): TextEdit {
  const { Node } = config.tm;
  if (site.property.getParent() !== site.image || !config.isLocal(site.property)) {
    throw config.refuse(
      site.property,
      `images.${name} takes its platforms from an object it spreads (\`${site.property.getText().replace(/\s+/g, ' ')}\`), which other images may share`,
      `add "${platform}" there to change every image that uses it, or give images.${name} its own platforms: [...]`,
    );
  }
  const value = `[...${site.written.getText()}, ${quoteString(platform, style)}]`;
  if (Node.isShorthandPropertyAssignment(site.property)) {
    return { start: site.property.getStart(), end: site.property.getEnd(), text: `platforms: ${value}` };
  }
  return { start: site.written.getStart(), end: site.written.getEnd(), text: value };
}

function hasPlatform(config: StaticConfig, list: TsMorph.ArrayLiteralExpression, platform: string): boolean {
  return config.follower.elements(list).elements.some((e) => {
    if (!config.tm.Node.isStringLiteral(e)) return false;
    const parsed = parsePlatform(e.getLiteralText());
    return parsed.ok && formatPlatform(parsed.platform) === platform;
  });
}
