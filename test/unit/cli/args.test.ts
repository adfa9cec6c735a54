import { describe, expect, it } from 'vitest';
import { COMMANDS, HELP, parseCli } from '../../../src/cli/args.js';
import type { MultiarchError } from '../../../src/errors/multiarch-error.js';

const usageError = (argv: string[]): MultiarchError => {
  try {
    parseCli(argv);
  } catch (error) {
    return error as MultiarchError;
  }
  throw new Error(`expected ${argv.join(' ')} to be a usage error`);
};

const defaults = { images: [], platforms: [], json: false, verbose: false, help: false };

describe('parseCli: commands', () => {
  it('shows help without arguments or with --help / -h', () => {
    expect(parseCli([])).toEqual({ command: 'help', ...defaults });
    expect(parseCli(['--help'])).toEqual({ command: 'help', ...defaults });
    expect(parseCli(['-h'])).toEqual({ command: 'help', ...defaults });
    expect(parseCli(['help'])).toEqual({ command: 'help', ...defaults });
  });

  it('reads version as a command and as --version / -V', () => {
    expect(parseCli(['version'])).toEqual({ command: 'version', ...defaults });
    expect(parseCli(['--version'])).toEqual({ command: 'version', ...defaults });
    expect(parseCli(['-V'])).toEqual({ command: 'version', ...defaults });
  });

  it('reads plan and apply with their defaults', () => {
    expect(parseCli(['plan'])).toEqual({ command: 'plan', ...defaults });
    expect(parseCli(['apply'])).toEqual({ command: 'apply', ...defaults });
  });

  it('rejects an unknown command with the list of commands', () => {
    const e = usageError(['aply']);
    expect(e).toMatchObject({ code: 'E_USAGE', message: 'unknown command "aply"', hint: 'commands: plan, apply, version, help, init, add, import, graph (see multiarch help)' });
    expect(usageError(['--json'])).toMatchObject({ code: 'E_USAGE', message: 'unknown command "--json"' });
    expect(COMMANDS).toEqual(['plan', 'apply', 'version', 'help']);
  });
});

describe('parseCli: options', () => {
  it('collects repeated --image and --platform, long and short', () => {
    expect(parseCli(['plan', '--image', 'web', '-i', 'api', '--platform', 'linux/arm64', '-p', 'linux/amd64', '--platform=linux/arm/v7'])).toMatchObject({
      images: ['web', 'api'],
      platforms: ['linux/arm64', 'linux/amd64', 'linux/arm/v7'],
    });
  });

  it('reads the config path, --json and --help after a command', () => {
    expect(parseCli(['apply', '-c', 'ci/multiarch.config.ts', '--json', '--help'])).toEqual({
      command: 'apply',
      ...defaults,
      config: 'ci/multiarch.config.ts',
      json: true,
      help: true,
    });
    expect(parseCli(['plan', '--config=x.ts'])).toMatchObject({ config: 'x.ts' });
  });

  it('reads --color and --no-color, leaving color out when neither is given', () => {
    expect(parseCli(['plan', '--no-color'])).toMatchObject({ color: false });
    expect(parseCli(['plan', '--color'])).toMatchObject({ color: true });
    expect(parseCli(['plan', '--color', '--no-color']).color).toBe(false);
    expect(parseCli(['plan'])).not.toHaveProperty('color');
  });

  it('apply: --concurrency as a whole number of at least 1, and --verbose / -v', () => {
    expect(parseCli(['apply', '--concurrency', '2', '-v'])).toMatchObject({ concurrency: 2, verbose: true });
    expect(parseCli(['apply'])).not.toHaveProperty('concurrency');
    for (const bad of ['0', '-1', '1.5', 'two', '']) {
      expect(usageError(['apply', `--concurrency=${bad}`]), bad).toMatchObject({
        code: 'E_USAGE',
        message: `--concurrency must be a whole number of at least 1, not "${bad}"`,
      });
    }
  });

  it('rejects an unknown flag naming the command, with a hint', () => {
    expect(usageError(['plan', '--imgae', 'web'])).toMatchObject({
      code: 'E_USAGE',
      message: "multiarch plan: Unknown option '--imgae'",
      hint: 'see `multiarch help`',
    });
    // apply-only flags are unknown to plan.
    expect(usageError(['plan', '--concurrency', '2'])).toMatchObject({ code: 'E_USAGE', message: "multiarch plan: Unknown option '--concurrency'" });
    expect(usageError(['version', '--json'])).toMatchObject({ code: 'E_USAGE', message: "multiarch version: Unknown option '--json'" });
  });

  it('rejects positional arguments and flags missing their value', () => {
    expect(usageError(['plan', 'web'])).toMatchObject({ code: 'E_USAGE', hint: 'see `multiarch help`' });
    expect(usageError(['plan', 'web']).message).toContain("Unexpected argument 'web'");
    expect(usageError(['plan', '--image']).message).toBe("multiarch plan: Option '-i, --image <value>' argument missing");
  });
});

describe('HELP', () => {
  it('documents every command and flag parseCli accepts', () => {
    for (const word of ['plan', 'apply', 'version', '--config', '--image', '--platform', '--json', '--concurrency', '--verbose', '--no-color']) {
      expect(HELP).toContain(word);
    }
  });
});

describe('parseCli: incremental options', () => {
  it('reads --out, --offline and --detailed-exitcode for plan', () => {
    expect(parseCli(['plan', '--out', 'plan.json', '--offline', '--detailed-exitcode'])).toMatchObject({ out: 'plan.json', offline: true, detailedExitcode: true });
    expect(parseCli(['plan'])).not.toHaveProperty('offline');
    expect(usageError(['apply', '--offline']).message).toMatch(/--offline/);
  });

  it('reads --force alone as every image, and --force NAME / --force=NAME as those', () => {
    expect(parseCli(['plan', '--force'])).toMatchObject({ force: true });
    expect(parseCli(['plan', '--force', '--json'])).toMatchObject({ force: true, json: true });
    expect(parseCli(['apply', '--force', 'web', '--force=api'])).toMatchObject({ force: ['web', 'api'] });
    expect(parseCli(['apply', '--force', 'plan.json'])).toMatchObject({ force: true, planFile: 'plan.json' });
  });

  it('reads --since and a saved plan for apply (one at most)', () => {
    expect(parseCli(['plan', '--since', 'origin/main'])).toMatchObject({ since: 'origin/main' });
    expect(parseCli(['apply', 'plan.json'])).toMatchObject({ command: 'apply', planFile: 'plan.json' });
    expect(usageError(['apply', 'a.json', 'b.json']).message).toBe('multiarch apply takes one saved plan, not 2 arguments');
    expect(usageError(['plan', 'plan.json']).code).toBe('E_USAGE');
  });
});

describe('parseCli: sharded CI', () => {
  it('reads --shard-out with its platforms, and --merge with the shell’s words after it', () => {
    expect(parseCli(['apply', '--platform', 'linux/arm64', '--shard-out', 'shard-arm64'])).toMatchObject({ platforms: ['linux/arm64'], shardOut: 'shard-arm64' });
    expect(parseCli(['apply', '--merge', 'shards/a', 'shards/b', '-i', 'web'])).toMatchObject({ merge: ['shards/a', 'shards/b'], images: ['web'] });
    expect(parseCli(['apply', '--merge=a', '--merge', 'b'])).toMatchObject({ merge: ['a', 'b'] });
    expect(parseCli(['apply', '--merge', 'a']).planFile).toBeUndefined();
  });

  it('refuses shard and merge options that cannot go together, saying what to run instead', () => {
    expect(usageError(['apply', '--shard-out', 'x']).message).toBe('--shard-out needs --platform: a shard holds the images of the platforms its runner builds');
    expect(usageError(['apply', '-p', 'linux/arm64', '--shard-out', 'x', '--merge', 'y']).message).toBe('--shard-out and --merge are two steps: build each shard, then merge them');
    expect(usageError(['apply', '-p', 'linux/arm64', '--shard-out', 'x', 'plan.json']).message).toBe('--shard-out cannot change a saved plan');
    expect(usageError(['apply', '--merge', 'a', '--platform', 'linux/arm64', '--force']).message).toBe('--merge takes every platform from the shards, not --platform, --force');
    expect(usageError(['apply', '--merge', 'a', '--since', 'HEAD~1']).hint).toBe('multiarch apply --merge DIR... (optionally --image NAME)');
  });
});
