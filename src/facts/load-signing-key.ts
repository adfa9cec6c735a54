/**
 * Reads the signing key the config points at (`sign.key.file` or `.env`) and its password
 * (`sign.password.env`) before anything is planned: a missing file or variable, a key that is not
 * EC P-256 or a wrong password is a config error (exit 1, nothing written). The key's text and the
 * password are registered as secrets the moment they are read, so no output can carry them.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedConfig } from '../config/resolved.js';
import { MultiarchError } from '../errors/multiarch-error.js';
import { parseSigningKey, type SigningKey } from '../supply/signing-key.js';
import { registerSecret } from '../sys/redact.js';

export async function loadSigningKey(config: Pick<ResolvedConfig, 'sign' | 'file' | 'dir'>, io: { readonly cwd: string; readonly env: Readonly<Record<string, string | undefined>> }): Promise<SigningKey | undefined> {
  const { env } = io;
  const sign = config.sign;
  if (!sign) return undefined;
  const shown = path.relative(io.cwd, config.file) || config.file;
  const fail = (field: string, message: string, hint: string) =>
    new MultiarchError('E_CONFIG_INVALID', `${shown}: 1 problem in the config`, { details: [`sign.${field}: ${message}`], hint: `${hint}; nothing was built or pushed` });
  let pem: string;
  if ('file' in sign.key) {
    const where = path.relative(config.dir, sign.key.file) || sign.key.file;
    try {
      pem = await fs.readFile(sign.key.file, 'utf8');
    } catch {
      throw fail('key.file', `${where} cannot be read (no such file, or no permission)`, 'write one with `cosign generate-key-pair`, or point key.file at your key');
    }
  } else {
    const value = env[sign.key.env];
    if (!value) throw fail('key.env', `$${sign.key.env} is not set`, `set ${sign.key.env} to the PEM text of the key (a CI secret)`);
    pem = value;
  }
  registerSecret(pem);
  let password: string | undefined;
  if (sign.password) {
    password = env[sign.password.env];
    if (password === undefined) throw fail('password.env', `$${sign.password.env} is not set`, `set ${sign.password.env} to the key's password`);
    registerSecret(password);
  }
  const parsed = parseSigningKey(pem, password);
  if (!parsed.ok) throw fail('key', parsed.message.replace(/^it /, 'the key '), parsed.hint);
  return parsed.key;
}
