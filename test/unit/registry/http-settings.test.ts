import { describe, expect, it } from 'vitest';
import { readHttpSettings } from '../../../src/registry/http-settings.js';
import { isImmutableTagRejection } from '../../../src/registry/registry-error.js';

describe('readHttpSettings', () => {
  it('reads the timeout in seconds, the tries and the chunk size; nothing set is nothing', () => {
    expect(readHttpSettings({})).toEqual({});
    expect(readHttpSettings({ MULTIARCH_HTTP_TIMEOUT: '2.5', MULTIARCH_HTTP_RETRIES: '6', MULTIARCH_UPLOAD_CHUNK_SIZE: '262144' })).toEqual({
      idleTimeoutMs: 2500,
      attempts: 6,
      chunkSize: 262144,
    });
  });

  it('refuses what is not a number', () => {
    expect(() => readHttpSettings({ MULTIARCH_HTTP_RETRIES: 'many' })).toThrow('MULTIARCH_HTTP_RETRIES=many is not a number of at least 1');
  });
});

describe('isImmutableTagRejection', () => {
  it('knows ECR’s and Harbor’s answers, and nothing else', () => {
    const ecr = `{"errors":[{"code":"TAG_INVALID","message":"The image tag 'v1' already exists in the 'web' repository and cannot be overwritten because the repository is immutable."}]}`;
    const harbor = `{"errors":[{"code":"PRECONDITION","message":"Failed to process request due to 'team/web:v1' configured as immutable."}]}`;
    expect(isImmutableTagRejection(400, ecr)).toBe(true);
    expect(isImmutableTagRejection(412, harbor)).toBe(true);
    expect(isImmutableTagRejection(400, '{"errors":[{"code":"MANIFEST_INVALID","message":"manifest invalid"}]}')).toBe(false);
    expect(isImmutableTagRejection(500, ecr)).toBe(false);
  });
});
