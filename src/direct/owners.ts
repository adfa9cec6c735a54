/**
 * `--chown` and `USER` as BuildKit resolves them: numbers as they are, names through the stage's
 * own `/etc/passwd` and `/etc/group` (a user's primary group when none is given; a bare uid is its
 * own gid). Pure: the files' text is passed in.
 */

export interface Owner {
  readonly uid: number;
  readonly gid: number;
}

export interface OwnerFiles {
  readonly passwd?: string;
  readonly group?: string;
}

export type OwnerResult = { ok: true; owner: Owner } | { ok: false; message: string };

export function resolveOwner(spec: string, files: OwnerFiles): OwnerResult {
  const [user = '', group] = spec.split(':');
  let uid: number;
  let gid: number | undefined;
  if (/^\d+$/.test(user)) uid = Number(user);
  else {
    const entry = lookup(files.passwd, user);
    if (!entry) return { ok: false, message: `user "${user}" is not in the image's /etc/passwd` };
    uid = Number(entry[2]);
    gid = Number(entry[3]);
  }
  if (group !== undefined && group !== '') {
    if (/^\d+$/.test(group)) gid = Number(group);
    else {
      const entry = lookup(files.group, group);
      if (!entry) return { ok: false, message: `group "${group}" is not in the image's /etc/group` };
      gid = Number(entry[2]);
    }
  }
  return { ok: true, owner: { uid, gid: gid ?? uid } };
}

function lookup(text: string | undefined, name: string): string[] | undefined {
  for (const line of (text ?? '').split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name && fields.length >= 3) return fields;
  }
  return undefined;
}
