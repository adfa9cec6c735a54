/**
 * The check a generated GitHub workflow must pass, shared by the generator's unit tests and the
 * e2e test of `multiarch init --ci github`: YAML that passes a strict structural schema of the
 * workflow syntax (actionlint cannot be installed here) plus the cross-references a schema cannot
 * see — `needs` resolve, every matrix key used is set, actions are pinned, OIDC has its permission.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { expect } from 'vitest';
import { parse } from 'yaml';

const schema = JSON.parse(readFileSync(new URL('github-workflow.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
export const validateGithubWorkflow = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

export interface Step { uses?: string; run?: string; if?: string; name?: string; with?: Record<string, unknown> }
export interface Job { if?: string; needs?: string | string[]; 'runs-on': string; permissions?: Record<string, string>; strategy?: { matrix: { include: Array<Record<string, unknown>> } }; steps: Step[] }
export interface Workflow { env?: Record<string, string>; jobs: Record<string, Job> }

export function checkGithub(text: string): Workflow {
  const workflow = parse(text) as Workflow;
  expect(validateGithubWorkflow(workflow) ? null : validateGithubWorkflow.errors).toBeNull();
  const jobs = Object.keys(workflow.jobs);
  for (const [name, job] of Object.entries(workflow.jobs)) {
    for (const need of [job.needs ?? []].flat()) expect(jobs, `${name} needs ${need}`).toContain(need);
    const matrix = job.strategy?.matrix.include ?? [];
    // Every ${{ matrix.x }} the job uses is set by every matrix entry.
    for (const [, key] of JSON.stringify(job).matchAll(/matrix\.([\w-]+)/g)) {
      for (const entry of matrix) expect(entry, `${name}: matrix.${key}`).toHaveProperty(key!);
    }
    for (const step of job.steps) if (step.uses) expect(step.uses).toMatch(/@v\d+$/);
    if (job.steps.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'))) expect(job.permissions?.['id-token']).toBe('write');
  }
  return workflow;
}
