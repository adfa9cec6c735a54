/**
 * bake's `secret = ["id=npm,env=NPM_TOKEN", "id=key,src=./key"]` and `ssh = ["default"]` (which
 * the compose importer produces from a service's `build.secrets`/`build.ssh` too) → multiarch's
 * `secrets: { npm: { env: 'NPM_TOKEN' }, key: { file: './key' } }` and `ssh`. Pure.
 */
import path from 'node:path';
import type { TsValue } from '../config-edit/print-ts.js';

export interface TranslatedSecrets {
  readonly secrets?: Record<string, TsValue>;
  readonly ssh?: TsValue;
}

/** `fileFrom`: a src path as the config must write it (relative to the config's directory). */
export function translateSecrets(secret: unknown, ssh: unknown, fileFrom: (src: string) => string, note: (message: string) => void): TranslatedSecrets {
  const secrets: Record<string, TsValue> = {};
  for (const spec of list(secret)) {
    const fields = new Map(spec.split(',').map((part) => {
      const eq = part.indexOf('=');
      return [(eq < 0 ? part : part.slice(0, eq)).trim(), eq < 0 ? '' : part.slice(eq + 1).trim()] as const;
    }));
    const env = fields.get('env') ?? (fields.get('type') === 'env' ? fields.get('src') ?? fields.get('source') : undefined);
    const src = fields.get('src') ?? fields.get('source');
    const id = fields.get('id') ?? (src ? path.basename(src) : env);
    if (!id) {
      note(`secret "${spec}": no id`);
      continue;
    }
    if (env) secrets[id] = { env };
    else if (src) secrets[id] = { file: fileFrom(src) };
    else note(`secret "${spec}": neither env nor src`);
  }
  const agents: Record<string, TsValue> = {};
  for (const spec of list(ssh)) {
    const [id = 'default', socket] = spec.split('=');
    agents[id] = socket ? { socket: fileFrom(socket) } : {};
  }
  const plain = Object.values(agents).every((a) => Object.keys(a as object).length === 0);
  return {
    ...(Object.keys(secrets).length ? { secrets } : {}),
    ...(Object.keys(agents).length ? { ssh: plain ? Object.keys(agents) : agents } : {}),
  };
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' && value !== '' ? [value] : [];
}
