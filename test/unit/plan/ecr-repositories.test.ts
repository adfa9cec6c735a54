import { describe, expect, it } from 'vitest';
import { isMultiarchError } from '../../../src/errors/multiarch-error.js';
import { plannedRepositories, repositoriesToCheck } from '../../../src/plan/ecr-repositories.js';
import { planShape } from '../../../src/plan/create-plan.js';
import type { PlanFacts } from '../../../src/plan/nodes.js';
import { resolveSelection } from '../../../src/plan/selection.js';
import { toPlanJson } from '../../../src/ui/plan/plan-json.js';
import { formatPlanMarkdown } from '../../../src/ui/plan/plan-markdown.js';
import { formatPlanText } from '../../../src/ui/plan/plan-text.js';
import { node, plan, resolve } from './fixtures.js';

const HOST = '123456789012.dkr.ecr.us-west-2.amazonaws.com';
const input = (ecr: Record<string, unknown>, publish: Record<string, unknown> = {}) => ({
  registries: { ecr: { url: HOST, ecr } },
  images: { web: { context: './web', platforms: ['linux/amd64', 'linux/arm64'], tags: ['v1'], publish: [{ registry: 'ecr', repository: 'team/web', ...publish }] } },
});
const missing = (...names: string[]): PlanFacts => ({ repositories: { ecr: { read: true, missing: names } } });

describe('ECR repositories in the plan', () => {
  it('asks about every repository the plan writes on a registry with ecr, and none elsewhere', () => {
    const config = resolve(input({}, { platformRepository: 'team/web-{arch}' }));
    const selection = resolveSelection(config, {});
    if (!selection.ok) throw new Error(selection.message);
    const wanted = repositoriesToCheck(planShape(config, {}, selection.selection));
    expect([...wanted.keys()]).toEqual(['ecr']);
    expect([...wanted.get('ecr')!.repositories].sort()).toEqual(['team/web', 'team/web-amd64', 'team/web-arm64']);
    const plain = resolve({ ...input({}), registries: { ecr: { url: HOST } } });
    const all = resolveSelection(plain, {});
    if (!all.ok) throw new Error(all.message);
    expect(repositoriesToCheck(planShape(plain, {}, all.selection)).size).toBe(0);
  });

  it('puts a missing repository on every node that writes into it, once in what the plan shows', () => {
    const p = plan(input({ createRepositories: true, imageTagMutability: 'IMMUTABLE' }), missing('team/web'));
    const creation = { repository: 'team/web', account: '123456789012', region: 'us-west-2', settings: { imageTagMutability: 'IMMUTABLE' }, checked: true };
    for (const id of ['push:web@linux/amd64->ecr', 'push:web@linux/arm64->ecr']) expect(node(p, 'push', id).createRepositories).toEqual([creation]);
    expect(node(p, 'index', 'index:web:v1->ecr').createRepositories).toEqual([creation]);
    expect(plannedRepositories(p)).toHaveLength(1);
    const text = formatPlanText(p, { color: false, width: 120 });
    expect(text).toContain('+ repository team/web → ecr  (immutable tags)  create');
    expect(text).toContain('1 ECR repository to create');
    expect(toPlanJson(p).repositories).toEqual([
      expect.objectContaining({ ref: `${HOST}/team/web`, settings: { imageTagMutability: 'IMMUTABLE', scanOnPush: null, encryption: null, lifecyclePolicy: null }, checked: true, nodes: ['push:web@linux/amd64->ecr', 'push:web@linux/arm64->ecr', 'index:web:v1->ecr'] }),
    ]);
    expect(formatPlanMarkdown(p)).toContain(`- <code>+</code> <code>${HOST}/team/web</code> (immutable tags)`);
  });

  it('creates nothing when every repository exists', () => {
    const p = plan(input({ createRepositories: true }), missing());
    expect(plannedRepositories(p)).toEqual([]);
    expect(toPlanJson(p).repositories).toEqual([]);
    expect(formatPlanText(p, { color: false, width: 120 })).not.toContain('repository');
  });

  it('stops at a missing repository without createRepositories, naming it and the fix', () => {
    let error: unknown;
    try {
      plan(input({}, { platformRepository: 'team/web-{arch}' }), missing('team/web-arm64', 'team/web'));
    } catch (e) {
      error = e;
    }
    expect(isMultiarchError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'E_REPOSITORY_MISSING',
      message: '2 ECR repositories this plan pushes to do not exist',
      details: [`missing: ${HOST}/team/web`, `missing: ${HOST}/team/web-arm64`],
      hint: expect.stringContaining('set registries.ecr.ecr.createRepositories: true in /abs/dir/multiarch.config.ts to create them before the first push'),
    });
  });

  it('gives the exact command for a single missing repository', () => {
    expect(() => plan(input({}), missing('team/web'))).toThrow(
      expect.objectContaining({ hint: expect.stringContaining('or create it yourself (aws ecr create-repository --repository-name team/web --region us-west-2)') }),
    );
  });

  it('when the registry cannot be read: creates each repository if missing, or only notes it', () => {
    const unread: PlanFacts = { repositories: { ecr: { read: false, problem: 'CredentialsProviderError: Could not load credentials from any providers' } } };
    const creating = plan(input({ createRepositories: true }), unread);
    expect(plannedRepositories(creating).map((r) => [r.repository, r.checked])).toEqual([['team/web', false]]);
    expect(creating.notes).toContainEqual({ image: 'web', message: 'ECR repositories on ecr not checked (CredentialsProviderError: Could not load credentials from any providers): apply creates each repository it writes if it is missing' });
    const checking = plan(input({}), unread);
    expect(plannedRepositories(checking)).toEqual([]);
    expect(checking.notes).toContainEqual({ image: 'web', message: expect.stringMatching(/not checked .*: a missing repository fails its push$/) });
  });
});
