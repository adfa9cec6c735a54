/**
 * An image as a comparison sees it: the config fields Docker's builder sets, and the merged file
 * tree of its layers (whiteouts applied) with each path's type, mode, owner, link target and
 * content hash. Read from `docker save` (what `docker build` made) or from a registry (what
 * multiarch pushed).
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { execa } from 'execa';
import tar from 'tar-stream';

export interface TreeEntry {
  readonly type: string;
  readonly mode: string;
  readonly uid: number;
  readonly gid: number;
  readonly link?: string;
  readonly sha?: string;
}

export interface ImageView {
  readonly config: Record<string, unknown>;
  readonly tree: Record<string, TreeEntry>;
}

const FIELDS = ['Env', 'Cmd', 'Entrypoint', 'WorkingDir', 'User', 'ExposedPorts', 'Volumes', 'StopSignal', 'Healthcheck', 'Labels', 'Shell', 'OnBuild'] as const;

/** The compared config fields (absent and empty are the same, as Docker prints them). */
export function configView(config: { architecture?: string; os?: string; variant?: string; config?: Record<string, unknown> }): Record<string, unknown> {
  const c = config.config ?? {};
  const out: Record<string, unknown> = { architecture: config.architecture, os: config.os, variant: config.variant ?? null };
  for (const f of FIELDS) {
    const v = c[f];
    const empty = v === undefined || v === null || v === '' || (typeof v === 'object' && Object.keys(v as object).length === 0);
    out[f] = empty ? null : v;
  }
  return out;
}

async function untar(bytes: Buffer, visit: (h: tar.Header, body: Buffer) => void): Promise<void> {
  const data = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (h, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        visit(h, Buffer.concat(chunks));
        next();
      });
      stream.on('error', reject);
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  extract.end(data);
  await done;
}

export async function fileTree(layers: readonly Buffer[]): Promise<Record<string, TreeEntry>> {
  const tree = new Map<string, TreeEntry>();
  const clean = (name: string) => `/${name.split('/').filter((p) => p && p !== '.').join('/')}`;
  for (const layer of layers) {
    await untar(layer, (h, body) => {
      const path = clean(h.name);
      const base = path.slice(path.lastIndexOf('/') + 1);
      const dir = path.slice(0, path.lastIndexOf('/')) || '/';
      const drop = (p: string) => {
        for (const k of [...tree.keys()]) if (k === p || k.startsWith(`${p}/`)) tree.delete(k);
      };
      if (base === '.wh..wh..opq') {
        for (const k of [...tree.keys()]) if (k.startsWith(`${dir}/`)) tree.delete(k);
        return;
      }
      if (base.startsWith('.wh.')) return drop(`${dir}/${base.slice(4)}`);
      if (h.type !== 'directory') drop(path);
      const type = h.type === 'link' ? 'hardlink' : h.type ?? 'file';
      tree.set(path, {
        type,
        mode: ((h.mode ?? 0) & 0o7777).toString(8),
        uid: h.uid ?? 0,
        gid: h.gid ?? 0,
        ...(h.linkname ? { link: type === 'hardlink' ? clean(h.linkname) : h.linkname } : {}),
        ...(type === 'file' ? { sha: createHash('sha256').update(body).digest('hex').slice(0, 16) } : {}),
      });
    });
  }
  tree.delete('/');
  return Object.fromEntries([...tree.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** What `docker build` left on the engine under `tag`. */
export async function savedImage(tag: string): Promise<ImageView> {
  const saved = await execa('docker', ['save', tag], { encoding: 'buffer', stdin: 'ignore' });
  const files = new Map<string, Buffer>();
  await untar(Buffer.from(saved.stdout), (h, body) => files.set(h.name, body));
  const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as Array<{ Config: string; Layers: string[] }>;
  const config = JSON.parse(files.get(manifest[0]!.Config)!.toString('utf8'));
  return { config: configView(config), tree: await fileTree(manifest[0]!.Layers.map((l) => files.get(l)!)) };
}

const ACCEPT = 'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';

/** The platform image `repo:reference` of a plain-HTTP registry (an index's child for `platform`). */
export async function registryImage(registry: string, repo: string, reference: string, platform?: string): Promise<ImageView & { digest: string }> {
  const get = async (path: string, accept?: string) => {
    const res = await fetch(`http://${registry}/v2/${repo}/${path}`, { headers: accept ? { accept } : {} });
    if (!res.ok) throw new Error(`GET ${repo}/${path}: HTTP ${res.status}`);
    return { bytes: Buffer.from(await res.arrayBuffer()), digest: res.headers.get('docker-content-digest') ?? '' };
  };
  let got = await get(`manifests/${reference}`, ACCEPT);
  let doc = JSON.parse(got.bytes.toString('utf8'));
  if (doc.manifests) {
    const child = doc.manifests.find((m: { platform: { os: string; architecture: string; variant?: string } }) => [m.platform.os, m.platform.architecture, m.platform.variant].filter(Boolean).join('/') === platform);
    got = await get(`manifests/${child.digest}`, ACCEPT);
    doc = JSON.parse(got.bytes.toString('utf8'));
  }
  const config = JSON.parse((await get(`blobs/${doc.config.digest}`)).bytes.toString('utf8'));
  const layers = await Promise.all(doc.layers.map(async (l: { digest: string }) => (await get(`blobs/${l.digest}`)).bytes));
  return { config: configView(config), tree: await fileTree(layers), digest: got.digest };
}
