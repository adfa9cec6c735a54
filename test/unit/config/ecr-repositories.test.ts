import { describe, expect, it } from 'vitest';
import { describeEcrSettings, parseEcrHost } from '../../../src/config/ecr-repositories.js';
import { image, issuesOf, resolve } from './fixtures.js';

const HOST = '123456789012.dkr.ecr.us-west-2.amazonaws.com';
const withRegistry = (registry: Record<string, unknown>) => ({ registries: { ecr: registry }, images: { web: image({ publish: [{ registry: 'ecr', repository: 'team/web' }] }) } });
const RULES = { rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } }] };

describe('ECR host names', () => {
  it('reads account and region from ECR hosts (FIPS and China too), nothing from others', () => {
    expect(parseEcrHost(HOST)).toEqual({ account: '123456789012', region: 'us-west-2' });
    expect(parseEcrHost('123456789012.dkr.ecr-fips.us-east-1.amazonaws.com')).toEqual({ account: '123456789012', region: 'us-east-1' });
    expect(parseEcrHost('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn')).toEqual({ account: '123456789012', region: 'cn-north-1' });
    expect(parseEcrHost('public.ecr.aws')).toBeUndefined();
    expect(parseEcrHost('12345.dkr.ecr.us-west-2.amazonaws.com')).toBeUndefined();
  });
});

describe('registries.<name>.ecr', () => {
  it('resolves account and region from the url, the profile from auth.ecr, and the settings as ECR takes them', () => {
    const config = resolve(
      withRegistry({
        url: HOST,
        auth: { ecr: { region: 'us-west-2', profile: 'ci' } },
        ecr: { createRepositories: true, imageTagMutability: 'IMMUTABLE', scanOnPush: true, encryption: { kms: 'alias/ecr' }, lifecyclePolicy: RULES },
      }),
    );
    expect(config.registries.ecr!.repositories).toEqual({
      account: '123456789012',
      region: 'us-west-2',
      profile: 'ci',
      create: true,
      settings: { imageTagMutability: 'IMMUTABLE', scanOnPush: true, encryption: { type: 'KMS', kmsKey: 'alias/ecr' }, lifecyclePolicy: JSON.stringify(RULES) },
    });
    expect(describeEcrSettings(config.registries.ecr!.repositories!.settings)).toBe('immutable tags, scan on push, KMS alias/ecr, lifecycle policy (1 rule)');
  });

  it('keeps lifecyclePolicy text as written, and checks without creating when createRepositories is not set', () => {
    const text = JSON.stringify(RULES, null, 2);
    expect(resolve(withRegistry({ url: HOST, ecr: { createRepositories: true, encryption: 'AES256', lifecyclePolicy: text } })).registries.ecr!.repositories!.settings).toEqual({ encryption: { type: 'AES256' }, lifecyclePolicy: text });
    expect(resolve(withRegistry({ url: HOST, ecr: {} })).registries.ecr!.repositories).toEqual({ account: '123456789012', region: 'us-west-2', create: false, settings: {} });
    expect(resolve(withRegistry({ url: HOST })).registries.ecr!.repositories).toBeUndefined();
  });

  it('takes account and region for a host in front of ECR, and only there', () => {
    expect(resolve(withRegistry({ url: 'registry.example.com', ecr: { account: '123456789012', region: 'eu-west-1' } })).registries.ecr!.repositories).toMatchObject({ account: '123456789012', region: 'eu-west-1' });
    const issues = issuesOf({ registries: { a: { url: 'ghcr.io', ecr: { createRepositories: true } }, b: { url: HOST, ecr: { region: 'eu-west-1' } } }, images: { web: image({ publish: [{ registry: 'a', repository: 'x' }] }) } });
    expect(issues.map((i) => [i.path.join('.'), i.message, i.hint])).toEqual([
      ['registries.a.ecr', 'ghcr.io is not an ECR registry (<account>.dkr.ecr.<region>.amazonaws.com), so ecr has no repositories to manage', 'remove ecr, or give ecr.account and ecr.region when this host fronts an ECR registry'],
      ['registries.b.ecr.region', `region is read from the url (${HOST})`, 'remove region'],
    ]);
  });

  it('rejects settings that would not apply, bad policies and bad values, naming the field and the fix', () => {
    const issues = issuesOf({
      registries: {
        a: { url: HOST, ecr: { scanOnPush: true } },
        b: { url: HOST, ecr: { createRepositories: true, lifecyclePolicy: '{ rules: [' } },
        c: { url: HOST, ecr: { createRepositories: true, lifecyclePolicy: { rules: [] } } },
        d: { url: 'oci:./out', ecr: {} },
      },
      images: { web: image({ publish: [{ registry: 'a', repository: 'x' }] }) },
    });
    expect(issues.map((i) => [i.path.join('.'), i.message.replace(/: .*/, ''), i.hint])).toEqual([
      ['registries.a.ecr.scanOnPush', 'scanOnPush applies only to repositories multiarch creates', 'set ecr.createRepositories: true, or remove it'],
      ['registries.b.ecr.lifecyclePolicy', 'lifecyclePolicy is not JSON', 'give the policy as an object ({ rules: [...] }) or as its JSON text'],
      ['registries.c.ecr.lifecyclePolicy', 'lifecyclePolicy needs a non-empty "rules" list', expect.stringContaining('rulePriority')],
      ['registries.d.ecr', 'ecr does not apply to an OCI layout (oci:./out)', 'remove ecr'],
    ]);
    const values = issuesOf(withRegistry({ url: HOST, ecr: { createRepositories: true, imageTagMutability: 'immutable', account: '42' } }));
    expect(values.map((i) => i.path.join('.'))).toEqual(['registries.ecr.ecr.imageTagMutability', 'registries.ecr.ecr.account']);
  });
});
