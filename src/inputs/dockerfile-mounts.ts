/**
 * Which secrets and SSH agents a Dockerfile's `RUN --mount=type=secret|ssh,…` flags ask for, with
 * the line of each, so the plan can hold them against the config's `secrets`/`ssh`. Only `RUN`
 * flags before the command count (what BuildKit reads). Pure.
 */
import { readInstructions } from './dockerfile-lines.js';

export interface MountUse {
  readonly id: string;
  /** 1-based line of the RUN instruction. */
  readonly line: number;
  /** `required=true`: BuildKit fails the build without it (else the mount is just empty). */
  readonly required: boolean;
}

export interface DockerfileMounts {
  readonly secrets: readonly MountUse[];
  readonly ssh: readonly MountUse[];
}

export function dockerfileMounts(text: string): DockerfileMounts {
  const secrets: MountUse[] = [];
  const ssh: MountUse[] = [];
  for (const ins of readInstructions(text).instructions) {
    if (ins.keyword !== 'RUN') continue;
    for (const word of ins.args) {
      if (!word.startsWith('--')) break;
      const m = /^--mount=(.*)$/i.exec(unquote(word));
      if (!m) continue;
      const fields = parseFields(m[1]!);
      const type = fields.get('type');
      const required = /^(true|)$/i.test(fields.get('required') ?? 'false');
      if (type === 'secret') {
        // BuildKit: the id defaults to the target's base name.
        const id = fields.get('id') ?? (fields.get('target') ?? fields.get('dst') ?? fields.get('destination'))?.split('/').pop();
        if (id) secrets.push({ id, line: ins.line, required });
      } else if (type === 'ssh') {
        ssh.push({ id: fields.get('id') ?? 'default', line: ins.line, required });
      }
    }
  }
  return { secrets, ssh };
}

/** `type=secret,id=npm,required` → type→secret, id→npm, required→'' (a bare key). */
function parseFields(spec: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    out.set((eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase(), eq < 0 ? '' : unquote(part.slice(eq + 1).trim()));
  }
  return out;
}

function unquote(s: string): string {
  return s.replace(/^(["'])(.*)\1$/s, '$2');
}
