/** DSSE: the PAE as the spec's test vector has it, signing and verifying by key, tampering caught. */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openEnvelope, preAuthEncoding, signEnvelope } from '../../../src/supply/dsse.js';
import { createStatement, statementAbout } from '../../../src/supply/statement.js';
import { createSimpleSigning, signedDigestOf } from '../../../src/supply/simple-signing.js';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('DSSE and statements', () => {
  it('encodes the PAE as the DSSE spec does', () => {
    expect(preAuthEncoding('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('opens an envelope signed by the key, not by another key, not when tampered', () => {
    const statement = createStatement('r.example/web', DIGEST, 'https://slsa.dev/provenance/v1', { a: 1 });
    const env = signEnvelope(statement, privateKey);
    const bytes = Buffer.from(JSON.stringify(env));
    const opened = openEnvelope(bytes, publicKey);
    expect(opened && statementAbout(opened.body, DIGEST)).toBe('https://slsa.dev/provenance/v1');
    expect(opened && statementAbout(opened.body, `sha256:${'cd'.repeat(32)}`)).toBeUndefined();
    expect(openEnvelope(bytes, other)).toBeUndefined();
    const tampered = { ...env, payload: Buffer.from(statement.toString().replace('"a":1', '"a":2')).toString('base64') };
    expect(openEnvelope(Buffer.from(JSON.stringify(tampered)), publicKey)).toBeUndefined();
    // The type is signed too: the same payload under another type does not verify.
    expect(openEnvelope(Buffer.from(JSON.stringify({ ...env, payloadType: 'text/plain' })), publicKey)).toBeUndefined();
  });

  it('writes cosign\'s simple-signing payload', () => {
    const payload = createSimpleSigning('127.0.0.1:5000/team/web', DIGEST);
    expect(JSON.parse(payload.toString())).toEqual({
      critical: { identity: { 'docker-reference': '127.0.0.1:5000/team/web' }, image: { 'docker-manifest-digest': DIGEST }, type: 'cosign container image signature' },
      optional: null,
    });
    expect(signedDigestOf(payload)).toBe(DIGEST);
    expect(signedDigestOf(Buffer.from('{}'))).toBeUndefined();
  });
});
