/**
 * `multiarch init --ci github|gitlab`: a sharded CI workflow for the existing config — its
 * platforms and registries — written at the root of the git repository holding the config (where
 * CI checks it out), so the paths in it are relative to that root. The config itself is only read.
 * Never overwrites without --force; on a terminal it shows what it will write and asks first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ciFacts, type CiFacts } from '../../ci/ci-facts.js';
import { CI_WORKFLOW_FILES, type CiProvider } from '../../ci/ci-provider.js';
import { formatCiPreview, formatCiSummary } from '../../ci/describe-ci.js';
import { formatGithubWorkflow } from '../../ci/github.js';
import { formatGitlabPipeline } from '../../ci/gitlab.js';
import { loadConfig } from '../../config/load.js';
import { assertWritable } from '../../config-edit/write-config.js';
import { isMultiarchError, MultiarchError } from '../../errors/multiarch-error.js';
import { findRepoRoot, toRepoPath } from '../../scaffold/find-repo-root.js';
import type { ConfigCommand } from '../config-args.js';
import type { CliIo } from '../io.js';
import type { Ask } from '../prompt.js';

type InitCiOptions = Extract<ConfigCommand, { command: 'init-ci' }>;

const FORMAT: Record<CiProvider, (facts: CiFacts) => string> = { github: formatGithubWorkflow, gitlab: formatGitlabPipeline };

/** `ask` is the terminal's prompter, absent when there is no terminal (then nothing is asked). */
export async function initCiCommand(options: InitCiOptions, io: CliIo, ask?: Ask): Promise<number> {
  const { file: configFile, config } = await loadExistingConfig(options, io);
  // Outside a repository the config's folder is the best guess at what CI will check out.
  const root = findRepoRoot(path.dirname(configFile)) ?? path.dirname(configFile);
  const facts = ciFacts(config, toRepoPath(root, configFile));
  const target = path.join(root, CI_WORKFLOW_FILES[options.provider]);
  const shown = path.relative(io.cwd, target) || target;
  const text = FORMAT[options.provider](facts);
  if (options.dryRun) {
    io.stdout(text);
    if (fs.existsSync(target) && !options.force) io.stderr(`note: ${shown} already exists; writing this would need --force.\n`);
    return 0;
  }
  assertWritable(target, options.force, io.cwd, `pass --force to replace it, or --dry-run to print the new workflow and compare`);
  if (ask && !options.yes) {
    io.stderr(formatCiPreview(shown, facts, options.provider));
    const answer = await ask(`Write ${shown}? (yes/no)`, 'yes');
    if (!/^y(es)?$/i.test(answer.trim())) {
      io.stderr('Nothing was written.\n');
      return 0;
    }
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, text);
  io.stdout(formatCiSummary(shown, facts, options.provider));
  return 0;
}

/** The config to write a workflow for; without one, the hint says how to get one first. */
async function loadExistingConfig(options: InitCiOptions, io: CliIo) {
  try {
    return await loadConfig({ cwd: io.cwd, ...(options.config ? { file: options.config } : {}) });
  } catch (error) {
    if (!isMultiarchError(error) || error.code !== 'E_CONFIG_NOT_FOUND') throw error;
    throw new MultiarchError(error.code, error.message, {
      hint: `run it where the config is or pass --config FILE; without a config yet, \`multiarch init\` writes one, then \`multiarch init --ci ${options.provider}\``,
      cause: error,
    });
  }
}
