/**
 * Found Dockerfiles → the images `multiarch init` proposes: one per Dockerfile, named after its
 * folder (`services/api/Dockerfile` → `api`), a variant named with its suffix
 * (`Dockerfile.worker` → `api-worker`, `tools.Dockerfile` → `tools`), names made unique, and the
 * build context guessed the way monorepos use it: the Dockerfile's folder, unless what it COPYs
 * exists only at the repository root (`docker build -f services/api/Dockerfile .`). Pure.
 */
import path from 'node:path';

export interface DetectedImage {
  readonly name: string;
  /** Relative to the root, '.' for the root itself. */
  readonly context: string;
  /** Relative to the context; absent for a plain `Dockerfile`. */
  readonly dockerfile?: string;
}

export interface DockerfileSource {
  readonly path: string;
  readonly text: string;
}

/** `rootName` names an image whose Dockerfile sits at the root; `exists` answers for root-relative paths. */
export function detectImages(found: readonly DockerfileSource[], rootName: string, exists: (rel: string) => boolean): DetectedImage[] {
  const drafts = found.map((f) => {
    const dir = path.posix.dirname(f.path);
    const file = path.posix.basename(f.path);
    const variant = variantOf(file);
    const atRoot = dir === '.';
    const folder = atRoot ? rootName : path.posix.basename(dir);
    // `tools.Dockerfile` at the root is the `tools` image; elsewhere a variant of its folder's.
    const named = (base: string) => (variant === undefined ? base : atRoot && !file.startsWith('Dockerfile') && !file.startsWith('Containerfile') ? variant : `${base}-${variant}`);
    const context = !atRoot && copiesFromRoot(f.text, dir, exists) ? '.' : dir;
    const dockerfile = context === dir ? file : f.path;
    return {
      name: sanitizeName(named(folder)),
      // Used when two folders share a name: `services/api` and `tools/api` → services-api, tools-api.
      longName: sanitizeName(named(atRoot ? rootName : dir.replaceAll('/', '-'))),
      image: { context, ...(dockerfile === 'Dockerfile' ? {} : { dockerfile }) },
    };
  });
  const counts = new Map<string, number>();
  for (const d of drafts) counts.set(d.name, (counts.get(d.name) ?? 0) + 1);
  const taken = new Set<string>();
  return drafts.map((d) => {
    const preferred = (counts.get(d.name) ?? 0) > 1 ? d.longName : d.name;
    let name = preferred;
    for (let n = 2; taken.has(name); n++) name = `${preferred}-${n}`;
    taken.add(name);
    return { name, ...d.image };
  });
}

/** A valid image name (lower-case letters, digits, `.`, `_`, `-`), `app` when nothing is left. */
export function sanitizeName(text: string): string {
  const name = text
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '');
  return name || 'app';
}

function variantOf(file: string): string | undefined {
  const suffix = /^(?:Dockerfile|Containerfile)\.(.+)$/.exec(file);
  if (suffix) return suffix[1];
  const prefix = /^(.+)\.(?:Dockerfile|dockerfile|Containerfile)$/.exec(file);
  return prefix?.[1];
}

/** Whether the files a Dockerfile COPYs or ADDs are found at the root but not next to it. */
export function copiesFromRoot(text: string, dir: string, exists: (rel: string) => boolean): boolean {
  let fromRoot = false;
  for (const source of copySources(text)) {
    const here = exists(path.posix.join(dir, source));
    const atRoot = exists(source);
    if (here && !atRoot) return false;
    if (atRoot && !here) fromRoot = true;
  }
  return fromRoot;
}

/** The local sources of COPY/ADD instructions (not `--from` stage copies, URLs or `$VARS`), globs cut off. */
export function copySources(text: string): string[] {
  const sources: string[] = [];
  const logical = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const line of logical) {
    const m = /^\s*(?:COPY|ADD)\s+(.*)$/i.exec(line);
    if (!m) continue;
    let args = m[1]!.trim();
    const flags: string[] = [];
    while (args.startsWith('--')) {
      const [flag = '', ...rest] = args.split(/\s+/);
      flags.push(flag);
      args = rest.join(' ');
    }
    if (flags.some((f) => f.startsWith('--from'))) continue;
    let words: string[];
    try {
      words = args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/);
    } catch {
      continue;
    }
    for (const word of words.slice(0, -1)) {
      if (/^[a-z]+:\/\//i.test(word) || word.includes('$')) continue;
      const plain = word.split(/[*?[]/)[0]!.replace(/^\.\//, '').replace(/\/+$/, '');
      if (plain && plain !== '.' && !plain.startsWith('/') && !plain.startsWith('..')) sources.push(plain);
    }
  }
  return sources;
}
