/**
 * A compose file's services with a `build:` section, as bake sees them (`docker buildx bake -f
 * compose.yaml --print`): one target per service, named after it, `image:` as its tag, the build
 * section's context, dockerfile, args, target, platforms, tags and labels. `${VAR:-default}` is
 * resolved to its default; what bake and multiarch cannot carry over is said in `notes`. Pure.
 */
import type { HclValue } from './hcl-expr.js';
import { BakeImportError, type BakePrint, type BakeTarget } from './resolve-bake.js';

export interface ComposeResult {
  readonly print: BakePrint;
  readonly notes: readonly string[];
}

const TRANSLATED = new Set(['context', 'dockerfile', 'args', 'target', 'platforms', 'tags', 'labels', 'secrets', 'ssh']);

export function composeToBake(doc: unknown, requested: readonly string[]): ComposeResult {
  const services = isRecord(doc) && isRecord(doc.services) ? doc.services : undefined;
  if (!services) throw new BakeImportError('the compose file has no services');
  const notes: string[] = [];
  const interpolate = (text: string, where: string) => interpolateCompose(text, (n) => notes.push(`${where}: ${n}`));
  for (const name of requested) {
    if (!isRecord(services[name])) throw new BakeImportError(`there is no service "${name}" (services: ${Object.keys(services).join(', ')})`);
  }
  const target: Record<string, BakeTarget> = {};
  for (const [name, service] of Object.entries(services)) {
    if (requested.length > 0 && !requested.includes(name)) continue;
    if (!isRecord(service)) continue;
    if (service.build === undefined) {
      notes.push(`service "${name}" has no build section (it runs ${typeof service.image === 'string' ? service.image : 'an image'}): not imported`);
      continue;
    }
    const build: Record<string, unknown> = typeof service.build === 'string' ? { context: service.build } : isRecord(service.build) ? service.build : {};
    const at = `service "${name}"`;
    const text = (v: unknown, field: string) => (typeof v === 'string' ? interpolate(v, `${at}: ${field}`) : String(v));
    const out: Record<string, HclValue> = { context: text(build.context ?? '.', 'context') };
    if ('dockerfile_inline' in build) notes.push(`${at}: build.dockerfile_inline; write it to a file and set dockerfile`);
    else out.dockerfile = text(build.dockerfile ?? 'Dockerfile', 'dockerfile');
    const args = keyValues(build.args, (k, v) => (v === undefined ? void notes.push(`${at}: args.${k}: no value (compose takes it from the environment); left out`) : text(v, `args.${k}`)));
    if (Object.keys(args).length) out.args = args;
    if (typeof build.target === 'string') out.target = text(build.target, 'target');
    const tags = [...(typeof service.image === 'string' ? [text(service.image, 'image')] : []), ...(Array.isArray(build.tags) ? build.tags.map((t) => text(t, 'tags')) : [])];
    if (tags.length) out.tags = tags;
    const platforms = Array.isArray(build.platforms) ? build.platforms.map((p) => text(p, 'platforms')) : typeof service.platform === 'string' ? [text(service.platform, 'platform')] : [];
    if (platforms.length) out.platforms = platforms;
    if (!Array.isArray(build.platforms) && typeof service.platform === 'string') notes.push(`${at}: platform ${service.platform} (the service's) is used as the image's platform`);
    const labels = keyValues(build.labels, (k, v) => (v === undefined ? '' : text(v, `labels.${k}`)));
    if (Object.keys(labels).length) out.labels = labels;
    const secret = composeSecrets(build.secrets, doc, at, notes);
    if (secret.length) out.secret = secret;
    const ssh = Array.isArray(build.ssh) ? build.ssh.map(String) : isRecord(build.ssh) ? Object.entries(build.ssh).map(([k, v]) => (v ? `${k}=${String(v)}` : k)) : [];
    if (ssh.length) out.ssh = ssh;
    for (const field of Object.keys(build)) {
      if (!TRANSLATED.has(field) && field !== 'dockerfile_inline') notes.push(`${at}: build.${field}`);
    }
    target[name] = out;
  }
  return { print: { group: { default: { targets: Object.keys(target) } }, target }, notes };
}

/** A service's `build.secrets` (names or `{ source, target }`) through the top-level `secrets:` → bake specs. */
function composeSecrets(list: unknown, doc: unknown, at: string, notes: string[]): string[] {
  const top = isRecord(doc) && isRecord(doc.secrets) ? doc.secrets : {};
  const out: string[] = [];
  for (const item of Array.isArray(list) ? list : []) {
    const source = typeof item === 'string' ? item : isRecord(item) && typeof item.source === 'string' ? item.source : undefined;
    const def = source ? top[source] : undefined;
    if (!source || !isRecord(def)) {
      notes.push(`${at}: build.secrets ${JSON.stringify(item)}: not defined under the top-level secrets`);
      continue;
    }
    if (typeof def.environment === 'string') out.push(`id=${source},env=${def.environment}`);
    else if (typeof def.file === 'string') out.push(`id=${source},src=${def.file}`);
    else notes.push(`${at}: secret ${source}: only environment and file secrets carry over`);
  }
  return out;
}

/** Compose's `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `$$`: defaults taken, no environment. */
export function interpolateCompose(text: string, note: (message: string) => void): string {
  return text.replace(/\$\$|\$\{([A-Za-z_]\w*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_]\w*)/g, (whole, braced?: string, op?: string, arg?: string, bare?: string) => {
    if (whole === '$$') return '$';
    const name = braced ?? bare!;
    if (op === ':-' || op === '-') {
      note(`\${${name}} is taken as its default "${arg}" (compose reads it from the environment)`);
      return arg ?? '';
    }
    note(`\${${name}} has no default here: taken as empty (compose reads it from the environment)`);
    return '';
  });
}

/** `args`/`labels` as a map or as a list of `KEY=value`; `fn` gives each value (undefined: leave it out). */
function keyValues(value: unknown, fn: (key: string, value: unknown) => string | undefined): Record<string, string> {
  const entries: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((item) => {
        const text = String(item);
        const eq = text.indexOf('=');
        return eq < 0 ? [text, undefined] : [text.slice(0, eq), text.slice(eq + 1)];
      })
    : isRecord(value)
      ? Object.entries(value).map(([k, v]) => [k, v === null ? undefined : v])
      : [];
  const out: Record<string, string> = {};
  for (const [k, v] of entries) {
    const result = fn(k, v);
    if (result !== undefined) out[k] = result;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
