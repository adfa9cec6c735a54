/**
 * Every failure multiarch reports on purpose carries a stable code and, where there is one, the
 * fix. Guards go by `code` rather than `instanceof`, since a config may load a second copy of
 * this module.
 */
export type ErrorCode =
  | 'E_USAGE'
  | 'E_CONFIG_NOT_FOUND'
  | 'E_CONFIG_LOAD'
  | 'E_CONFIG_INVALID'
  | 'E_CONFIG_EDIT'
  | 'E_FILE_EXISTS'
  | 'E_IMPORT'
  | 'E_PLAN_FILE'
  | 'E_PLAN_STALE'
  | 'E_INPUTS'
  | 'E_DOCKER_UNAVAILABLE'
  | 'E_BUILDER_UNREACHABLE'
  | 'E_PREPARE_FAILED'
  | 'E_PLAN_STALE'
  | 'E_EMULATION_MISSING'
  | 'E_BUILD_FAILED'
  | 'E_PLATFORM_MISMATCH'
  | 'E_TEST_FAILED'
  | 'E_SCANNER_UNAVAILABLE'
  | 'E_SCAN_FAILED'
  | 'E_SBOM_FAILED'
  | 'E_SIGN_VERIFY'
  | 'E_ATTEST_MISSING'
  | 'E_SCAN_POLICY'
  | 'E_REPORT_WRITE'
  | 'E_EXPORT_FAILED'
  | 'E_DIRECT_BASE'
  | 'E_DIRECT_BUILD'
  | 'E_REGISTRY'
  | 'E_REGISTRY_AUTH'
  | 'E_REGISTRY_UNREACHABLE'
  | 'E_DIGEST_MISMATCH'
  | 'E_TAG_IMMUTABLE'
  | 'E_REPOSITORY_MISSING'
  | 'E_REPOSITORY_CREATE'
  | 'E_LAYOUT'
  | 'E_SHARD'
  | 'E_INDEX_VERIFY'
  | 'E_DEPENDENCY_OUTPUT'
  | 'E_CANCELED'
  | 'E_INTERNAL';

export interface MultiarchErrorOptions {
  hint?: string;
  /** Extra lines: process output, every config issue… */
  details?: readonly string[];
  /** Where in the user's files it failed: a failed build's Dockerfile and line. */
  location?: { readonly file: string; readonly line: number };
  /** The registry (host[:port]) that could not be reached. */
  registry?: string;
  cause?: unknown;
}

export class MultiarchError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly details?: readonly string[];
  readonly location?: { readonly file: string; readonly line: number };
  readonly registry?: string;

  constructor(code: ErrorCode, message: string, options: MultiarchErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MultiarchError';
    this.code = code;
    if (options.hint) this.hint = options.hint;
    if (options.details?.length) this.details = options.details;
    if (options.location) this.location = options.location;
    if (options.registry) this.registry = options.registry;
  }
}

export function isMultiarchError(value: unknown): value is MultiarchError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (value as { code: string }).code.startsWith('E_') &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
