/**
 * The invariant every publish must keep, whatever failed on the way: no tag in a repository points
 * at an index with a missing child. Checked the way a client would see it, with skopeo.
 */
import { isIndex, listTags, skopeoInspectRaw, type Credentials } from './registry.js';

/** Every tag of `host/repository`; for each index, every child read by digest (skopeo inspect --raw). */
export async function assertNoBrokenIndex(repo: string, options: { creds?: Credentials } = {}): Promise<{ tags: string[]; indexes: number }> {
  const tags = await listTags(repo, options);
  let indexes = 0;
  for (const tag of tags) {
    const manifest = await skopeoInspectRaw(`${repo}:${tag}`, options);
    if (!isIndex(manifest)) continue;
    indexes++;
    for (const child of manifest.manifests) {
      // Throws when the child is missing: the test fails with skopeo's message.
      await skopeoInspectRaw(`${repo}@${child.digest}`, options);
    }
  }
  return { tags, indexes };
}
