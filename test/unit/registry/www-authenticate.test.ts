import { describe, expect, it } from 'vitest';
import { parseChallenge } from '../../../src/registry/www-authenticate.js';

describe('parseChallenge', () => {
  it('reads Docker Hub’s Bearer challenge', () => {
    expect(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/alpine:pull' },
    });
  });

  it('keeps commas inside quoted values (GHCR asks for two actions in one scope)', () => {
    expect(parseChallenge('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:org/web:pull,push"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:org/web:pull,push' },
    });
  });

  it('reads a Basic challenge, whatever the case of the scheme and parameter names', () => {
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({ scheme: 'basic', params: { realm: 'Registry Realm' } });
    expect(parseChallenge('basic Realm="x"')).toEqual({ scheme: 'basic', params: { realm: 'x' } });
    expect(parseChallenge('BEARER realm="https://r/token"')).toEqual({ scheme: 'bearer', params: { realm: 'https://r/token' } });
    expect(parseChallenge('Basic')).toEqual({ scheme: 'basic', params: {} });
  });

  it('unescapes quoted-pairs and accepts unquoted tokens and spaces around "=" and ","', () => {
    expect(parseChallenge('Bearer realm="say \\"hi\\"", error=insufficient_scope , service = "a\\\\b"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'say "hi"', error: 'insufficient_scope', service: 'a\\b' },
    });
  });

  it('ignores schemes it cannot answer and missing headers', () => {
    expect(parseChallenge('Negotiate abc')).toBeUndefined();
    expect(parseChallenge('Digest realm="x", nonce="y"')).toBeUndefined();
    expect(parseChallenge('')).toBeUndefined();
    expect(parseChallenge(null)).toBeUndefined();
    expect(parseChallenge(undefined)).toBeUndefined();
  });
});
