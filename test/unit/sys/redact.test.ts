import { beforeEach, describe, expect, it } from 'vitest';
import type { ExecEvent } from '../../../src/exec/events.js';
import { clearSecrets, redact, redactDeep, registerBasicAuth, registerSecret } from '../../../src/sys/redact.js';

beforeEach(() => clearSecrets());

describe('redact: registered secrets', () => {
  it('hides a registered secret, its base64 and its URL encoding, wherever they appear', () => {
    registerSecret('p@ss word/1');
    const b64 = Buffer.from('p@ss word/1').toString('base64');
    expect(redact('login with p@ss word/1 ok')).toBe('login with *** ok');
    expect(redact(`header ${b64}`)).toBe('header ***');
    expect(redact('https://u:p%40ss%20word%2F1@host/')).toBe('https://u:***@host/');
    expect(redact('p@ss word/1p@ss word/1')).toBe('******');
  });

  it('hides user:password pairs the way Docker stores them, and the password alone', () => {
    registerBasicAuth('ci-bot', 'hunter22');
    expect(redact(`auth=${Buffer.from('ci-bot:hunter22').toString('base64')}`)).toBe('auth=***');
    expect(redact('echo hunter22')).toBe('echo ***');
    expect(redact('user ci-bot')).toBe('user ci-bot');
  });

  it('hides the longer of two overlapping secrets whole', () => {
    registerSecret('abcd');
    registerSecret('abcdefgh');
    expect(redact('x abcdefgh y abcd')).toBe('x *** y ***');
  });

  it('ignores strings too short to be secrets, and forgets everything on clearSecrets', () => {
    registerSecret('abc');
    registerSecret('');
    registerSecret(undefined);
    expect(redact('abc is fine')).toBe('abc is fine');
    registerSecret('long-secret');
    clearSecrets();
    expect(redact('long-secret')).toBe('long-secret');
  });
});

describe('redact: patterns, without registration', () => {
  it('hides Authorization headers', () => {
    expect(redact('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.x')).toBe('Authorization: Bearer ***');
    expect(redact('authorization=basic dXNlcjpwYXNz, next')).toBe('authorization=basic ***, next');
    expect(redact('{"Authorization":"Basic dXNlcjpwYXNz"}')).toBe('{"Authorization":"Basic ***"}');
  });

  it('hides password-like JSON fields', () => {
    expect(redact('{"username":"u","password":"pw","Secret":"s","identitytoken":"t","access_token":"a","auth":"dTpw"}')).toBe(
      '{"username":"u","password":"***","Secret":"***","identitytoken":"***","access_token":"***","auth":"***"}',
    );
    expect(redact('{ "token" : "abc" }')).toBe('{ "token" : "***" }');
  });

  it('hides password=, token= query and form parameters', () => {
    expect(redact('POST /token grant_type=password&password=hunter2&refresh_token=xyz&service=r')).toBe(
      'POST /token grant_type=password&password=***&refresh_token=***&service=r',
    );
    expect(redact('leaves other text alone')).toBe('leaves other text alone');
  });
});

describe('redactDeep', () => {
  it('redacts every string in nested events and keeps everything else as it is', () => {
    registerSecret('s3cr3t-token');
    const event: ExecEvent = {
      type: 'node:end',
      at: 5,
      id: 'push:web@linux/amd64->local',
      status: 'failed',
      durationMs: 12,
      error: {
        code: 'E_REGISTRY_AUTH',
        message: 'token s3cr3t-token refused',
        hint: 'Authorization: Bearer abc.def',
        details: ['line with s3cr3t-token', 'clean line'],
      },
    };
    const copy = structuredClone(event);
    expect(redactDeep(event)).toEqual({
      ...event,
      error: { code: 'E_REGISTRY_AUTH', message: 'token *** refused', hint: 'Authorization: Bearer ***', details: ['line with ***', 'clean line'] },
    });
    expect(event).toEqual(copy);
    expect(redactDeep({ n: 1, b: true, nothing: null, list: [[{ deep: 's3cr3t-token' }]] })).toEqual({ n: 1, b: true, nothing: null, list: [[{ deep: '***' }]] });
    expect(redactDeep('s3cr3t-token')).toBe('***');
    expect(redactDeep(42)).toBe(42);
  });
});
