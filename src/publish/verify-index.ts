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

export async function verifyIndex(client: IndexReader, repo: string, tag: string, expected: ExpectedIndex, signal?: AbortSignal): Promise<void> {
  const where = formatImageRef(client, repo, tag);
  const fail = (message: string) => new MultiarchError('E_INDEX_VERIFY', `${where}: ${message}`, { hint: 'the registry does not hold what was written; run apply again, and check nothing else writes this tag' });
  // Read by tag, as a pull would: the content's digest says which index the tag holds.
  const index = await client.getManifest(repo, tag, signal);
  if (!index) throw fail('the tag is missing right after it was written');
  if (index.digest !== expected.digest) throw fail(`the tag holds ${index.digest}, not the index written (${expected.digest})`);
  const listed = (JSON.parse(index.bytes.toString('utf8')) as { manifests?: Array<{ digest: string; platform?: Platform }> }).manifests ?? [];
  if (listed.length !== expected.children.length) throw fail(`the index lists ${listed.length} children, expected ${expected.children.length}`);
  // Children are independent reads: check them side by side.
  await Promise.all(
    expected.children.map(async (child) => {
      const entry = listed.find((m) => m.digest === child.digest);
      if (!entry?.platform || !samePlatform(entry.platform, child.platform)) {
        throw fail(`${formatPlatform(child.platform)} (${child.digest}) is not listed under its platform`);
      }
      const manifest = await client.getManifest(repo, child.digest, signal);
      if (!manifest) throw fail(`child ${child.digest} (${formatPlatform(child.platform)}) does not exist in ${repo}`);
      const configDigest = configDigestOf(manifest.bytes);
      if (!configDigest) throw fail(`child ${child.digest} has no config`);
      const config = JSON.parse((await client.getBlob(repo, configDigest, signal)).toString('utf8')) as Platform & { variant?: string };
      const actual = parsePlatform(formatPlatform({ os: config.os, architecture: config.architecture, ...(config.variant ? { variant: config.variant } : {}) }));
      if (!actual.ok || !samePlatform(actual.platform, child.platform)) {
        throw fail(`the child listed as ${formatPlatform(child.platform)} is a ${config.os}/${config.architecture}${config.variant ? `/${config.variant}` : ''} image`);
      }
    }),
  );
}
