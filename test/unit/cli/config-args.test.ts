import { describe, expect, it } from 'vitest';
import { parseConfigCommand } from '../../../src/cli/config-args.js';
import type { MultiarchError } from '../../../src/errors/multiarch-error.js';

const usage = (argv: string[]): MultiarchError => {
  try {
    parseConfigCommand(argv);
  } catch (error) {
    return error as MultiarchError;
  }
  throw new Error(`expected ${argv.join(' ')} to be a usage error`);
};

describe('parseConfigCommand', () => {
  it('reads init with its flags', () => {
    expect(parseConfigCommand(['init', '-y', '-p', 'linux/amd64', '-r', 'ghcr.io/acme', '--force'])).toEqual({
      command: 'init',
      help: false,
      platforms: ['linux/amd64'],
      registries: ['ghcr.io/acme'],
      tags: [],
      yes: true,
      force: true,
      dryRun: false,
    });
  });

  it('reads init --ci as its own command, with the flags it shares with init', () => {
    expect(parseConfigCommand(['init', '--ci', 'github'])).toEqual({ command: 'init-ci', help: false, provider: 'github', yes: false, force: false, dryRun: false });
    expect(parseConfigCommand(['init', '--ci=gitlab', '-y', '-f', '--dry-run', '-c', 'deploy/multiarch.config.ts'])).toEqual({
      command: 'init-ci',
      help: false,
      config: 'deploy/multiarch.config.ts',
      provider: 'gitlab',
      yes: true,
      force: true,
      dryRun: true,
    });
    expect(parseConfigCommand(['init', '--ci', 'github', '--help'])).toEqual({ command: 'help', topic: 'init', help: true });
  });

  it('names the valid --ci values, and refuses the flags that only shape a new config', () => {
    expect(usage(['init', '--ci', 'bitbucket'])).toMatchObject({ code: 'E_USAGE', message: 'multiarch init: --ci is github or gitlab, not "bitbucket"', hint: 'see `multiarch init --help`' });
    expect(usage(['init', '--ci', '']).message).toBe('multiarch init: --ci is github or gitlab, not ""');
    expect(usage(['init', '--ci']).message).toContain("Option '--ci <value>' argument missing");
    expect(usage(['init', '--ci', 'github', '-p', 'linux/amd64']).message).toBe(
      'multiarch init: --platform is for writing a new config; --ci takes platforms and registries from the existing one (change them with `multiarch add …`)',
    );
    expect(usage(['init', '--ci', 'gitlab', '--registry', 'ghcr.io/acme']).message).toContain('--registry is for writing a new config');
    expect(usage(['init', '--ci', 'gitlab', '--tag', 'v1']).message).toContain('--tag is for writing a new config');
  });

  it('reads add image and add platform', () => {
    expect(parseConfigCommand(['add', 'image', 'api', '--context', 'api', '--publish', 'hub/team/api', '-c', 'x.ts'])).toMatchObject({
      command: 'add-image',
      name: 'api',
      context: 'api',
      publish: ['hub/team/api'],
      config: 'x.ts',
    });
    expect(parseConfigCommand(['add', 'platform', 'linux/arm/v7', '-i', 'web', '-i', 'api'])).toMatchObject({ command: 'add-platform', platform: 'linux/arm/v7', images: ['web', 'api'] });
  });

  it('reads import and graph', () => {
    expect(parseConfigCommand(['import', 'bake', 'docker-bake.hcl', 'app', 'web', '-o', 'm.ts'])).toMatchObject({ command: 'import', format: 'bake', file: 'docker-bake.hcl', targets: ['app', 'web'], out: 'm.ts' });
    expect(parseConfigCommand(['graph'])).toMatchObject({ command: 'graph', format: 'mermaid', images: [], platforms: [] });
    expect(parseConfigCommand(['graph', '--help'])).toEqual({ command: 'help', topic: 'graph', help: true });
  });

  it('says what is missing or misplaced', () => {
    expect(usage(['add']).message).toBe('multiarch add: say what to add: multiarch add image NAME --context DIR, or multiarch add platform PLATFORM');
    expect(usage(['add', 'image', 'api']).message).toBe('multiarch add: multiarch add image api needs --context DIR (the build context, relative to the config)');
    expect(usage(['add', 'platform', 'arm64', '--context', 'x']).message).toBe('multiarch add: --context is for add image');
    expect(usage(['import', 'docker-bake.hcl']).message).toBe('multiarch import: say what to import: multiarch import bake FILE or multiarch import compose FILE');
    expect(usage(['import', 'compose']).message).toBe('multiarch import: multiarch import compose needs the file to import, e.g. compose.yaml');
    expect(usage(['init', 'extra']).message).toBe('multiarch init: unexpected argument "extra"');
    expect(usage(['init', '--bogus'])).toMatchObject({ code: 'E_USAGE', hint: 'see `multiarch init --help`' });
  });
});
