/**
 * The CLI's entry: parse, dispatch, and the only place that catches, formats errors and decides the
 * exit code (0 ok, 1 failed or invalid input, 130 interrupted). Ctrl-C once cancels gracefully
 * (running builds get the signal, nothing new starts, no index is written); twice exits at once.
 */
import process from 'node:process';
import { serializeError, formatError } from '../errors/format-error.js';
import { redact } from '../sys/redact.js';
import { shouldUseColor } from '../ui/color.js';
import { formatJsonError } from '../ui/run/json.js';
import { HELP, parseCli, type CliOptions } from './args.js';
import { isConfigCommand } from './config-args.js';
import type { CliIo } from './io.js';
import { VERSION } from './version.js';

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let options: CliOptions | undefined;
  try {
    // Loaded on demand: plan and apply never pay for the config editors and importers (~200 ms).
    if (isConfigCommand(argv[0])) return await (await import('./run-config-command.js')).runConfigCommand(argv, io);
    options = parseCli(argv);
    if (options.help || options.command === 'help') {
      io.stdout(HELP);
      return 0;
    }
    switch (options.command) {
      case 'version':
        io.stdout(`multiarch ${VERSION}\n`);
        return 0;
      // Loaded on demand: `plan` never pays for the terminal UI apply may draw.
      case 'plan':
        return await (await import('./commands/plan.js')).planCommand(options, io);
      case 'apply':
        return await (await import('./commands/apply.js')).applyCommand(options, io);
    }
  } catch (error) {
    const serialized = serializeError(error);
    // A usage error happens before options exist: `--json` anywhere still asks for JSON.
    if (options?.json ?? argv.includes('--json')) {
      io.stdout(redact(formatJsonError(serialized)));
    } else {
      const color = shouldUseColor({ isTTY: io.isTTY, env: io.env, ...(options?.color !== undefined ? { flag: options.color } : {}) });
      io.stderr(`${redact(formatError(serialized, { color }))}\n`);
    }
    return serialized.code === 'E_CANCELED' ? 130 : 1;
  }
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const controller = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts++;
    if (interrupts === 1) {
      // On a terminal the reporter says so in its own output (a write here would garble Ink's frame).
      if (!process.stdout.isTTY || argv.includes('--json')) process.stderr.write('\nmultiarch: stopping — canceling running work, no new steps start (Ctrl-C again to exit now)\n');
      controller.abort(new Error('interrupted'));
    } else {
      process.exit(130);
    }
  });
  process.on('SIGTERM', () => controller.abort(new Error('terminated')));
  // A reader that went away (`apply --json | head -1`) must not crash a run half-way through a
  // publish: the output has nowhere to go, the work still finishes (Ctrl-C is how to stop it).
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    });
  }
  const code = await runCli(argv, {
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stdout.isTTY),
    ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
    signal: controller.signal,
  });
  process.exitCode = code;
  // Let stdout drain; exit explicitly so a stray handle (a hung helper process) cannot keep us alive.
  process.stdout.write('', () => process.exit(code));
}
