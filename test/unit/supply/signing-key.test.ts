/** Signing keys: PKCS#8 and SEC1 P-256 PEM, cosign's encrypted format, and what is refused. */
import { createPrivateKey, generateKeyPairSync, randomBytes, scryptSync, sign, verify } from 'node:crypto';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { parseSigningKey } from '../../../src/supply/signing-key.js';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

/** cosign generate-key-pair's layout, small scrypt cost to keep the test fast. */
function cosignPem(password: string, N = 1024): string {
  const der = createPrivateKey(pkcs8).export({ type: 'pkcs8', format: 'der' });
  const salt = randomBytes(32);
  const nonce = randomBytes(24);
  const box = nacl.secretbox(der, nonce, scryptSync(password, salt, 32, { N, r: 8, p: 1 }));
  const json = JSON.stringify({ kdf: { name: 'scrypt', params: { N, r: 8, p: 1 }, salt: salt.toString('base64') }, cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') }, ciphertext: Buffer.from(box).toString('base64') });
  return `-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----\n${Buffer.from(json).toString('base64')}\n-----END ENCRYPTED COSIGN PRIVATE KEY-----\n`;
}

describe('parseSigningKey', () => {
  it('reads a PKCS#8 P-256 key and names it by its public key', () => {
    const r = parseSigningKey(pkcs8, undefined);
    if (!r.ok) throw new Error(r.message);
    expect(r.key.keyId).toMatch(/^[0-9a-f]{64}$/);
    const sig = sign('sha256', Buffer.from('x'), r.key.privateKey);
    expect(verify('sha256', Buffer.from('x'), r.key.publicKey, sig)).toBe(true);
  });

  it('opens cosign\'s encrypted key with the right password only', () => {
    const pem = cosignPem('s3cret');
    const good = parseSigningKey(pem, 's3cret');
    expect(good.ok && good.key.keyId).toBe((parseSigningKey(pkcs8, undefined) as { key: { keyId: string } }).key.keyId);
    const bad = parseSigningKey(pem, 'wrong');
    expect(bad).toMatchObject({ ok: false, message: 'the password does not open the key' });
    expect(parseSigningKey(pem, undefined)).toMatchObject({ ok: false, message: 'the key is encrypted and no password was given' });
    expect(JSON.stringify(bad)).not.toContain('wrong');
  });

  it('refuses other curves and non-keys, naming the fix', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    expect(parseSigningKey(p384, undefined)).toMatchObject({ ok: false, message: 'it is a ec key on secp384r1, not EC P-256' });
    expect(parseSigningKey('hello', undefined)).toMatchObject({ ok: false, message: 'it is not a PEM private key' });
  });
});
