/**
 * The base images each build pulls, resolved to the digest of the platform image it gets: the
 * Dockerfile's bases for that build (args substituted), each tag HEADed once per run whatever the
 * number of platforms that pull it, an index's child picked per platform (the index read once per
 * run, then remembered). A pinned
 * `@sha256:` needs no request. Offline, the digests this machine last resolved are used. Edge.
 */
import { readFile } from 'node:fs/promises';
import { formatPlatform } from '../config/platform.js';
import { MultiarchError } from '../errors/multiarch-error.js';
import { dockerfileBases } from '../inputs/dockerfile-bases.js';
import { formatReference, parsePullReference } from '../image/image-reference.js';
import type { IndexChildState, ResolvedBase } from '../plan/incremental/types.js';
import { inputsBuilderKind } from '../plan/build-path.js';
import type { BuildNode, BuilderFacts, Plan } from '../plan/nodes.js';
import { isIndex, readIndexChildren } from './read-index.js';
import type { RegistryAccess } from './registry-access.js';
import type { StateStore } from './state-store.js';

export interface ResolveBasesOptions {
  /** Undefined: offline. */
  readonly access?: RegistryAccess;
  readonly store: StateStore;
  readonly kind: BuilderFacts['kind'];
  /** `$BUILDPLATFORM` for a build: its engine's platform. */
  readonly buildPlatform: (node: BuildNode) => string;
  readonly signal?: AbortSignal;
  /** ISO time to remember resolutions under. */
  readonly now: string;
  /** Reads a file (shared with the snapshots, so each Dockerfile is read once). */
  readonly read?: (file: string) => Promise<Buffer>;
}

export async function resolveBases(plan: Plan, options: ResolveBasesOptions): Promise<Record<string, ResolvedBase[]>> {
  const texts = new Map<string, Promise<string>>();
  const read = options.read ?? readFile;
  const resolved = new Map<string, Promise<Resolution>>();
  const learned: Record<string, string> = {};
  const remembered = options.access ? {} : await options.store.bases();
  // One read of a tag (and of the index it names) for every platform that pulls it.
  const reads = new Map<string, Promise<TagRead>>();
  const readTag = (access: RegistryAccess, ref: string): Promise<TagRead> => {
    let pending = reads.get(ref);
    if (!pending) reads.set(ref, (pending = readOnline(access, options.store, ref, options.signal)));
    return pending;
  };
  const resolve = (ref: string, platform: string): Promise<Resolution> => {
    const key = `${ref} ${platform}`;
    let pending = resolved.get(key);
    if (!pending) {
      const access = options.access;
      pending = access
        ? readTag(access, ref).then((read) => pickPlatform(read, platform)).then((r) => {
            if ('digest' in r) learned[key] = r.digest;
            return r;
          })
        : Promise.resolve(offline(pinned(ref) ?? remembered[key]?.value));
      resolved.set(key, pending);
    }
    return pending;
  };
  const builds = plan.order.map((id) => plan.nodes[id]!).filter((n): n is BuildNode => n.kind === 'build');
  const out: Record<string, ResolvedBase[]> = {};
  await Promise.all(
    builds.map(async (node) => {
      let text = texts.get(node.dockerfile);
      if (!text) texts.set(node.dockerfile, (text = read(node.dockerfile).then((b) => b.toString('utf8'))));
      const args = Object.fromEntries(Object.entries(node.args).map(([k, v]) => [k, typeof v === 'string' ? v : null]));
      const { bases } = dockerfileBases(await text.catch(() => ''), {
        args,
        platform: node.platform,
        buildPlatform: options.buildPlatform(node),
        ...(node.target ? { target: node.target } : {}),
        allStages: inputsBuilderKind(node, options.kind) === 'legacy',
      });
      out[node.id] = await Promise.all(
        bases.map(async (b) => ({ ref: b.ref, platform: b.platform, ...(await resolve(b.ref, b.platform)) })),
      );
    }),
  );
  await options.store.rememberBases(learned, options.now);
  return out;
}

function pinned(ref: string): string | undefined {
  const parsed = parsePullReference(ref);
  return parsed.ok ? parsed.reference.digest : undefined;
}

type Resolution = { readonly digest: string } | { readonly problem: string };

function offline(digest: string | undefined): Resolution {
  return digest ? { digest } : { problem: 'is not known on this machine (offline, never resolved here)' };
}

/** What a base tag holds: one image, an index and its children, or why it is unknown. */
type TagRead = Resolution | { readonly index: string; readonly children: readonly IndexChildState[] };

async function readOnline(access: RegistryAccess, store: StateStore, ref: string, signal?: AbortSignal): Promise<TagRead> {
  const parsed = parsePullReference(ref);
  if (!parsed.ok) throw new MultiarchError('E_INPUTS', `base image ${JSON.stringify(ref)}: ${parsed.message}`, { hint: 'check the FROM lines and the build args they use' });
  const { host, repository, tag, digest } = parsed.reference;
  if (digest) return { digest };
  const client = access.client(host);
  const head = await access.limit(() => client.headManifest(repository, tag!, signal));
  // Not in the registry: perhaps an image only the engine has (the build would use it); its
  // digest is unknown here, so whatever is built on it is rebuilt.
  if (!head) return { problem: `is not in ${formatReference(parsed.reference).split('/')[0]} (an image only the local engine has?)` };
  if (!isIndex(head.mediaType)) return { digest: head.digest };
  return { index: head.digest, children: await readIndexChildren(access, client, store, repository, head.digest, signal) };
}

function pickPlatform(read: TagRead, platform: string): Resolution {
  if (!('index' in read)) return read;
  const child = read.children.find((c) => c.platform === platform) ?? read.children.find((c) => c.platform === formatPlatformLoose(platform));
  // No child for this platform: the build fails when it pulls; the inputs still name the index.
  return { digest: child?.digest ?? `${read.index} (no ${platform})` };
}

/** `linux/arm64/v8` and `linux/arm64` are one platform. */
function formatPlatformLoose(platform: string): string {
  const [os = '', architecture = '', variant] = platform.split('/');
  return formatPlatform({ os, architecture, ...(variant && !(architecture === 'arm64' && variant === 'v8') ? { variant } : {}) });
}
