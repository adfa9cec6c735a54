/**
 * The signing key from its PEM text: a PKCS#8 EC P-256 key as `openssl genpkey` writes it (also
 * SEC1 `EC PRIVATE KEY` and password-protected `ENCRYPTED PRIVATE KEY`), or cosign's own encrypted
 * key (`cosign generate-key-pair`: PKCS#8 DER sealed with scrypt + NaCl secretbox, JSON in a PEM
 * block). Problems name what is wrong, never the key or the password. No I/O.
 */
import { createHash, createPrivateKey, createPublicKey, scryptSync, type KeyObject } from 'node:crypto';
import nacl from 'tweetnacl';

export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** sha256 (hex) of the public key's SPKI DER: how plans name the key without holding it. */
  readonly keyId: string;
}

export type KeyResult = { readonly ok: true; readonly key: SigningKey } | { readonly ok: false; readonly message: string; readonly hint: string };

const COSIGN_LABELS = ['ENCRYPTED SIGSTORE PRIVATE KEY', 'ENCRYPTED COSIGN PRIVATE KEY'];

export function parseSigningKey(pem: string, password: string | undefined): KeyResult {
  const label = /-----BEGIN ([A-Z ]+)-----/.exec(pem)?.[1];
  if (!label) return fail('it is not a PEM private key', 'write one with `cosign generate-key-pair` or `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`');
  let privateKey: KeyObject;
  if (COSIGN_LABELS.includes(label)) {
    const der = openCosignKey(pem, label, password);
    if (!der.ok) return der;
    privateKey = createPrivateKey({ key: der.der, format: 'der', type: 'pkcs8' });
  } else {
    if (label === 'ENCRYPTED PRIVATE KEY' && password === undefined) return noPassword();
    try {
      privateKey = createPrivateKey(label === 'ENCRYPTED PRIVATE KEY' ? { key: pem, passphrase: password! } : pem);
    } catch {
      return label === 'ENCRYPTED PRIVATE KEY' ? wrongPassword() : fail(`its ${label} block cannot be read`, 'check the file is the whole PEM key');
    }
  }
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    return fail(`it is a ${privateKey.asymmetricKeyType ?? 'unknown'} key${privateKey.asymmetricKeyDetails?.namedCurve ? ` on ${privateKey.asymmetricKeyDetails.namedCurve}` : ''}, not EC P-256`, 'cosign keys are EC P-256: `cosign generate-key-pair` or `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`');
  }
  const publicKey = createPublicKey(privateKey);
  const keyId = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
  return { ok: true, key: { privateKey, publicKey, keyId } };
}

interface SealedKey {
  kdf?: { name?: string; params?: { N?: number; r?: number; p?: number }; salt?: string };
  cipher?: { name?: string; nonce?: string };
  ciphertext?: string;
}

function openCosignKey(pem: string, label: string, password: string | undefined): { ok: true; der: Buffer } | { ok: false; message: string; hint: string } {
  if (password === undefined) return noPassword();
  const body = pem.split(`-----BEGIN ${label}-----`)[1]?.split(`-----END ${label}-----`)[0] ?? '';
  let sealed: SealedKey;
  try {
    sealed = JSON.parse(Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')) as SealedKey;
  } catch {
    return fail('its cosign key block is not the JSON cosign writes', 'check the file is the whole cosign.key');
  }
  const { kdf, cipher } = sealed;
  if (kdf?.name !== 'scrypt' || cipher?.name !== 'nacl/secretbox' || !kdf.salt || !cipher.nonce || !sealed.ciphertext || !kdf.params?.N || !kdf.params.r || !kdf.params.p) {
    return fail(`it is sealed with ${kdf?.name ?? '?'} + ${cipher?.name ?? '?'}; multiarch reads cosign's scrypt + nacl/secretbox`, 'write it with `cosign generate-key-pair`');
  }
  const { N, r, p } = kdf.params;
  const secret = scryptSync(Buffer.from(password, 'utf8'), Buffer.from(kdf.salt, 'base64'), 32, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
  const opened = nacl.secretbox.open(Buffer.from(sealed.ciphertext, 'base64'), Buffer.from(cipher.nonce, 'base64'), secret);
  if (!opened) return wrongPassword();
  return { ok: true, der: Buffer.from(opened) };
}

const fail = (message: string, hint: string) => ({ ok: false as const, message, hint });
const noPassword = () => fail('the key is encrypted and no password was given', "add password: { env: 'COSIGN_PASSWORD' } to sign, and set that variable");
const wrongPassword = () => fail('the password does not open the key', 'check the variable sign.password names holds the password the key was written with');
