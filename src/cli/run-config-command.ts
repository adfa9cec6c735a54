/**
 * Dispatch for the commands that write or show a config (init, add, import, graph), called by
 * main.ts inside its error handling. Wiring only.
 */
import { addImageCommand, addPlatformCommand } from './commands/add.js';
import { graphCommand } from './commands/graph.js';
import { importCommand } from './commands/import.js';
import { initCommand } from './commands/init.js';
import { initCiCommand } from './commands/init-ci.js';
import { parseConfigCommand, type ConfigCommand } from './config-args.js';
import { CONFIG_HELP } from './config-help.js';
import type { CliIo } from './io.js';
import { createTerminalPrompter } from './prompt.js';

export async function runConfigCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const options: ConfigCommand = parseConfigCommand(argv);
  switch (options.command) {
    case 'help':
      io.stdout(CONFIG_HELP[options.topic]);
      return 0;
    case 'init': {
      const prompter = io.isTTY && !options.yes ? createTerminalPrompter() : undefined;
      try {
        return await initCommand(options, io, prompter?.ask);
      } finally {
        prompter?.close();
      }
    }
    case 'init-ci': {
      // A dry run writes nothing, so there is nothing to confirm.
      const prompter = io.isTTY && !options.yes && !options.dryRun ? createTerminalPrompter() : undefined;
      try {
        return await initCiCommand(options, io, prompter?.ask);
      } finally {
        prompter?.close();
      }
    }
    case 'add-image':
      return addImageCommand(options, io);
    case 'add-platform':
      return addPlatformCommand(options, io);
    case 'import':
      return importCommand(options, io);
    case 'graph':
      return graphCommand(options, io);
  }
}
