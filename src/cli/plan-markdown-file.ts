/**
 * Where the Markdown plan goes besides stdout: `--out-markdown FILE` (the whole plan, never cut: an
 * artifact has no comment limit) and, on GitHub Actions, the step summary. Edge.
 */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MultiarchError } from '../errors/multiarch-error.js';
import { formatPlanMarkdown } from '../ui/plan/plan-markdown.js';
import type { Plan } from '../plan/nodes.js';
import type { CliOptions } from './args.js';
import type { CliIo } from './io.js';

export async function writePlanMarkdown(plan: Plan, markdown: string, options: CliOptions, io: CliIo): Promise<void> {
  if (options.outMarkdown) {
    const file = path.resolve(io.cwd, options.outMarkdown);
    try {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, formatPlanMarkdown(plan, { limit: Number.POSITIVE_INFINITY }));
    } catch (error) {
      throw new MultiarchError('E_USAGE', `--out-markdown ${options.outMarkdown}: cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, {
        hint: 'give a path in a directory you can write to',
      });
    }
  }
  const summary = io.env.GITHUB_STEP_SUMMARY;
  if (summary && io.env.GITHUB_ACTIONS === 'true') {
    // A missing or unwritable summary file must not fail the plan: say so in the log instead.
    await appendFile(summary, markdown).catch((error: Error) => io.stderr(`::warning::multiarch could not append the plan to $GITHUB_STEP_SUMMARY (${error.message})\n`));
  }
}
