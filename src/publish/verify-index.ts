/**
 * Reads a just-written multi-arch index back from its target (registry or OCI layout) and checks
 * what a pull would get: the tag holds the index we wrote, every child exists in that repository,
 * and every child's image config really is the os/arch/variant the index lists it under. Edge.
 */
import { formatPlatform, parsePlatform, samePlatform, type Platform } from '../config/platform.js';
import { MultiarchError } from '../errors/multiarch-error.js';
import type { ContentStore } from './content-store.js';
import { formatImageRef } from '../config/registry-url.js';
import { configDigestOf } from '../image/manifest.js';

export interface ExpectedIndex {
  readonly digest: string;
  readonly children: ReadonlyArray<{ readonly digest: string; readonly platform: Platform }>;
}

export type IndexReader = Pick<ContentStore, 'host' | 'getManifest' | 'getBlob'>;

/** One child read ahead: whether its manifest is there, and (settled) its config's platform or what is wrong. */
export interface ChildRead {
  readonly exists: Promise<boolean>;
  readonly read: Promise<Settled<ChildPlatform | 'missing' | 'no config'>>;
}

type ChildPlatform = Platform & { variant?: string };
type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Starts reading children (manifest, then config) before the index is written: they are
 * content-addressed, so what is read now is what a pull reads after; the index step checks they
 * exist before writing, and the read-back judges the rest without reading them again.
 */
export function readChildren(client: IndexReader, repo: string, digests: readonly string[], signal?: AbortSignal): ChildRead[] {
  return digests.map((digest) => {
    const manifest = client.getManifest(repo, digest, signal);
    const read = settle(
      manifest.then(async (m): Promise<ChildPlatform | 'missing' | 'no config'> => {
        if (!m) return 'missing';
        const configDigest = configDigestOf(m.bytes);
        if (!configDigest) return 'no config';
        return JSON.parse((await client.getBlob(repo, configDigest, signal)).toString('utf8')) as ChildPlatform;
      }),
    );
    return { exists: manifest.then((m) => m !== undefined), read };
  });
}

/** `reads`: the children as readChildren read them (in `expected.children` order); read here otherwise. */
export async function verifyIndex(client: IndexReader, repo: string, tag: string, expected: ExpectedIndex, signal?: AbortSignal, reads?: readonly ChildRead[]): Promise<void> {
  const where = formatImageRef(client, repo, tag);
  const fail = (message: string) => new MultiarchError('E_INDEX_VERIFY', `${where}: ${message}`, { hint: 'the registry does not hold what was written; run apply again, and check nothing else writes this tag' });
  // The children are read while the tag is (independent reads); they are judged after it.
  const children = reads ?? readChildren(client, repo, expected.children.map((c) => c.digest), signal);
  // Read by tag, as a pull would: the content's digest says which index the tag holds.
  const index = await client.getManifest(repo, tag, signal);
  if (!index) throw fail('the tag is missing right after it was written');
  if (index.digest !== expected.digest) throw fail(`the tag holds ${index.digest}, not the index written (${expected.digest})`);
  const listed = (JSON.parse(index.bytes.toString('utf8')) as { manifests?: Array<{ digest: string; platform?: Platform }> }).manifests ?? [];
  if (listed.length !== expected.children.length) throw fail(`the index lists ${listed.length} children, expected ${expected.children.length}`);
  for (const [i, child] of expected.children.entries()) {
    const entry = listed.find((m) => m.digest === child.digest);
    if (!entry?.platform || !samePlatform(entry.platform, child.platform)) {
      throw fail(`${formatPlatform(child.platform)} (${child.digest}) is not listed under its platform`);
    }
    const read = await children[i]!.read;
    if (!read.ok) throw read.error;
    const got = read.value;
    if (got === 'missing') throw fail(`child ${child.digest} (${formatPlatform(child.platform)}) does not exist in ${repo}`);
    if (got === 'no config') throw fail(`child ${child.digest} has no config`);
    const actual = parsePlatform(formatPlatform({ os: got.os, architecture: got.architecture, ...(got.variant ? { variant: got.variant } : {}) }));
    if (!actual.ok || !samePlatform(actual.platform, child.platform)) {
      throw fail(`the child listed as ${formatPlatform(child.platform)} is a ${got.os}/${got.architecture}${got.variant ? `/${got.variant}` : ''} image`);
    }
  }
}

/** A promise that never rejects (read ahead, judged later: no unhandled rejection meanwhile). */
function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}
