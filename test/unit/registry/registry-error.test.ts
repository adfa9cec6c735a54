import { describe, expect, it } from 'vitest';
import { describeRegistryBody, httpError, networkError } from '../../../src/registry/registry-error.js';

const distribution = (code: string, message: string) => JSON.stringify({ errors: [{ code, message, detail: null }] });

describe('describeRegistryBody', () => {
  it('takes the first distribution error, or the first line of anything else', () => {
    expect(describeRegistryBody(distribution('MANIFEST_INVALID', 'manifest invalid'))).toBe('MANIFEST_INVALID: manifest invalid');
    expect(describeRegistryBody(JSON.stringify({ errors: [{ code: 'DENIED' }] }))).toBe('DENIED');
    expect(describeRegistryBody('<html>\n<body>502 Bad Gateway</body>')).toBe('<html>');
    expect(describeRegistryBody('x'.repeat(300))).toHaveLength(200);
    expect(describeRegistryBody('')).toBeUndefined();
    expect(describeRegistryBody('  \n')).toBeUndefined();
  });
});

describe('httpError', () => {
  it('401 and 403: a login problem with the docker login command', () => {
    const e = httpError('PUT manifest team/web:v1', '127.0.0.1:5000', 401, distribution('UNAUTHORIZED', 'authentication required'));
    expect(e.code).toBe('E_REGISTRY_AUTH');
    expect(e.message).toBe('PUT manifest team/web:v1 on 127.0.0.1:5000: HTTP 401 (UNAUTHORIZED: authentication required)');
    expect(e.hint).toBe('log in with `docker login 127.0.0.1:5000` using an account that may push there, or check the repository name');
    const forbidden = httpError('upload', 'ghcr.io', 403, '');
    expect(forbidden).toMatchObject({ code: 'E_REGISTRY_AUTH', message: 'upload on ghcr.io: HTTP 403' });
    expect(forbidden.hint).toContain('docker login ghcr.io');
  });

  it('404: check the repository', () => {
    expect(httpError('HEAD blob', 'docker.io', 404, '')).toMatchObject({ code: 'E_REGISTRY', hint: 'check the repository name and that it exists' });
  });

  it('429: rate limiting, with what is left when the registry says', () => {
    const headers = new Headers({ 'ratelimit-remaining': '0;w=21600' });
    expect(httpError('GET manifest', 'docker.io', 429, '', headers).hint).toBe('the registry is rate limiting (ratelimit-remaining: 0;w=21600); log in or try later');
    expect(httpError('GET manifest', 'docker.io', 429, '').hint).toBe('the registry is rate limiting; log in or try later');
  });

  it('400 on an immutable tag says to pick another tag; other statuses have no hint', () => {
    const e = httpError('PUT manifest', 'ecr', 400, distribution('TAG_INVALID', 'The image tag already exists and cannot be overwritten because the repository is immutable.'));
    expect(e.hint).toBe('the tag is immutable and already holds another digest; pick a new tag');
    const other = httpError('PUT manifest', 'r', 500, 'oops');
    expect(other).toMatchObject({ code: 'E_REGISTRY', message: 'PUT manifest on r: HTTP 500 (oops)' });
    expect(other.hint).toBeUndefined();
  });
});

describe('networkError', () => {
  // What fetch (undici) throws: a TypeError whose cause is the system error.
  const fetchFailure = (cause: { code?: string; message: string }) => Object.assign(new TypeError('fetch failed'), { cause });

  it('connection refused: nothing listens there', () => {
    const e = networkError('127.0.0.1:5000', 'http://127.0.0.1:5000/v2/', fetchFailure({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5000' }));
    expect(e.code).toBe('E_REGISTRY_UNREACHABLE');
    expect(e.message).toBe('cannot reach 127.0.0.1:5000: connect ECONNREFUSED 127.0.0.1:5000');
    expect(e.hint).toBe('nothing listens at 127.0.0.1:5000; start the registry or fix the url');
  });

  it('TLS against a plain HTTP registry: set insecure', () => {
    const e = networkError('localhost:5000', 'https://localhost:5000/v2/', fetchFailure({ code: 'ERR_SSL_WRONG_VERSION_NUMBER', message: 'C0F7:error:0A00010B:SSL routines:ssl3_get_record:wrong version number' }));
    expect(e.hint).toBe('the registry speaks plain HTTP: set insecure: true on it (only for registries you run yourself)');
    expect(networkError('r', 'https://r/', fetchFailure({ code: 'EPROTO', message: 'x' })).hint).toContain('insecure: true');
  });

  it('a host that does not resolve', () => {
    const e = networkError('regsitry.example.com', 'https://regsitry.example.com/v2/', fetchFailure({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND regsitry.example.com' }));
    expect(e.hint).toBe('the host regsitry.example.com does not resolve; check the registry url and your network');
  });

  it('anything else: check that it runs, with the error’s own message', () => {
    const e = networkError('r', 'https://r/', new Error('socket hang up'));
    expect(e).toMatchObject({ code: 'E_REGISTRY_UNREACHABLE', message: 'cannot reach r: socket hang up', hint: 'check that the registry is running and reachable from this machine', registry: 'r' });
  });
});
