/**
 * The CI systems `multiarch init --ci` writes for, and where each expects its pipeline, relative to
 * the repository root. Kept apart from the generators so the argument parser can name the valid
 * values without loading them. Pure.
 */

export const CI_PROVIDERS = ['github', 'gitlab'] as const;
export type CiProvider = (typeof CI_PROVIDERS)[number];

export const CI_WORKFLOW_FILES: Record<CiProvider, string> = {
  github: '.github/workflows/multiarch.yml',
  gitlab: '.gitlab-ci.yml',
};

export function isCiProvider(value: string): value is CiProvider {
  return (CI_PROVIDERS as readonly string[]).includes(value);
}
