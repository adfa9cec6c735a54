/**
 * DSSE envelopes (https://github.com/secure-systems-lab/dsse): the signature covers the
 * pre-authentication encoding `DSSEv1 <len(type)> <type> <len(body)> <body>`, not the JSON, so
 * the payload type cannot be swapped. In-toto statements ride in them. Pure but for the signature.
 */
import { sign, verify, type KeyObject } from 'node:crypto';

export const DSSE_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface DsseEnvelope {
  readonly payloadType: string;
  /** base64 of the payload bytes. */
  readonly payload: string;
  readonly signatures: ReadonlyArray<{ readonly keyid: string; readonly sig: string }>;
}

export function preAuthEncoding(payloadType: string, body: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${body.length} `), body]);
}

export function signEnvelope(body: Buffer, key: KeyObject, payloadType = IN_TOTO_PAYLOAD_TYPE): DsseEnvelope {
  const sig = sign('sha256', preAuthEncoding(payloadType, body), key);
  // keyid left empty as cosign writes it: verifiers try the key they were given.
  return { payloadType, payload: body.toString('base64'), signatures: [{ keyid: '', sig: sig.toString('base64') }] };
}

/** The payload, when one of the signatures verifies with `key`. */
export function openEnvelope(bytes: Buffer, key: KeyObject): { readonly payloadType: string; readonly body: Buffer } | undefined {
  let env: Partial<DsseEnvelope>;
  try {
    env = JSON.parse(bytes.toString('utf8')) as Partial<DsseEnvelope>;
  } catch {
    return undefined;
  }
  if (typeof env.payloadType !== 'string' || typeof env.payload !== 'string' || !Array.isArray(env.signatures)) return undefined;
  const body = Buffer.from(env.payload, 'base64');
  const pae = preAuthEncoding(env.payloadType, body);
  const ok = env.signatures.some((s) => typeof s?.sig === 'string' && verify('sha256', pae, key, Buffer.from(s.sig, 'base64')));
  return ok ? { payloadType: env.payloadType, body } : undefined;
}
