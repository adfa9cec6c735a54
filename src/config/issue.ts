/** One problem found in a config: where (a path into the config object), what, and how to fix it. */
export type ConfigPath = ReadonlyArray<string | number>;

export interface ConfigIssue {
  readonly path: ConfigPath;
  readonly message: string;
  readonly hint?: string;
}

/** `images.web.platforms[2]`: the path as a person reads it (and as the docs name fields). */
export function formatConfigPath(path: ConfigPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out || '(config)';
}
