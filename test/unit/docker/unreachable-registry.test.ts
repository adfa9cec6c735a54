import { describe, expect, it } from 'vitest';
import { unreachableRegistry } from '../../../src/docker/unreachable-registry.js';

describe('unreachableRegistry', () => {
  it.each([
    [
      'BuildKit resolving a base on a stopped registry',
      ['ERROR: failed to solve: 127.0.0.1:5099/team/base:v1: failed to resolve source metadata for 127.0.0.1:5099/team/base:v1: failed to do request: Head "http://127.0.0.1:5099/v2/team/base/manifests/v1": dial tcp 127.0.0.1:5099: connect: connection refused'],
      '127.0.0.1:5099',
    ],
    ['the classic builder pulling', ['Error response from daemon: Get "https://registry.example:5000/v2/": read tcp 10.0.0.2:4431->10.0.0.9:5000: read: connection reset by peer'], 'registry.example:5000'],
    ['an unknown host', ['failed to do request: Head "https://nope.example/v2/x/manifests/v1": dial tcp: lookup nope.example on 127.0.0.53:53: no such host'], 'nope.example'],
    ['a dial error without a URL', ['error: dial tcp 127.0.0.1:5099: connect: connection refused'], '127.0.0.1:5099'],
    ['a lookup error without a URL', ['dial tcp: lookup reg.internal: no such host'], 'reg.internal'],
  ])('names the registry: %s', (_name, output, registry) => {
    expect(unreachableRegistry(['#5 [internal] load metadata', ...output])).toBe(registry);
  });

  it.each([
    ['a failing RUN', ['#7 RUN false', 'ERROR: process "/bin/sh -c false" did not complete successfully: exit code: 1']],
    ['a RUN whose own network call failed (no registry URL or dial address)', ['wget: can\'t connect to remote host: Connection refused']],
    ['no output', []],
  ])('names none for %s', (_name, output) => {
    expect(unreachableRegistry(output)).toBeUndefined();
  });
});
