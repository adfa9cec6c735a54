/**
 * The CLI in a real pseudo-terminal: a tmux server of its own (its own socket, so it neither sees
 * nor disturbs anyone else's tmux) running one window of a given size, whose screen the test reads
 * with `capture-pane`, resizes, and types Ctrl-C into.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { onTestFinished } from 'vitest';
import { cliPath } from './cli.js';
import { testProcessEnv } from './env.js';

export interface TerminalOptions {
  readonly cwd: string;
  readonly columns: number;
  readonly rows: number;
  readonly env?: Record<string, string>;
}

export interface Terminal {
  /** The visible screen, one string per row, trailing spaces trimmed. */
  screen(): Promise<string[]>;
  resize(columns: number, rows: number): Promise<void>;
  /** tmux key names: `C-c`. */
  sendKeys(...keys: string[]): Promise<void>;
  /** Polls the screen until `done` says so; returns that screen. */
  waitFor(done: (screen: string[]) => boolean, what: string, timeoutMs?: number): Promise<string[]>;
  /** The CLI's exit code once it has exited (the window prints it). */
  exitCode(screen: string[]): number | undefined;
  /**
   * Every line of text the program has written so far (escape sequences removed), including frames
   * a redraw has already replaced: a screen poll can miss a frame that lasts a few milliseconds.
   */
  written(): Promise<string>;
  /** Everything the program has written, escape sequences included (to check which it sent). */
  raw(): Promise<string>;
}

let sessions = 0;
const shellQuote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

/** Runs `multiarch …args` in a new terminal; the tmux server is killed when the test finishes. */
export async function runInTerminal(args: readonly string[], options: TerminalOptions): Promise<Terminal> {
  const socket = `multiarch-e2e-${process.pid}-${++sessions}`;
  const tmux = (...a: string[]) => execa('tmux', ['-L', socket, ...a], { stdin: 'ignore', env: testProcessEnv(), reject: true });
  const env = Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)}`);
  // Not CI: under CI the CLI (rightly) picks the plain reporter, and Ink holds its frames back.
  const command = [
    'env -u CI -u CONTINUOUS_INTEGRATION -u GITHUB_ACTIONS -u NO_COLOR',
    ...env,
    'node',
    shellQuote(cliPath()),
    ...args.map(shellQuote),
    '; echo "[multiarch exited $?]"; sleep 3600',
  ].join(' ');
  const log = path.join(mkdtempSync(path.join(os.tmpdir(), 'multiarch-tty-')), 'output');
  // The window starts on hold until its output is being recorded: nothing it writes is missed.
  await tmux('new-session', '-d', '-s', 'run', '-x', String(options.columns), '-y', String(options.rows), '-c', options.cwd, `until [ -e ${shellQuote(`${log}.go`)} ]; do sleep 0.05; done; ${command}`);
  await tmux('pipe-pane', '-t', 'run', '-o', `cat >> ${shellQuote(log)}`);
  writeFileSync(`${log}.go`, 'go\n');
  onTestFinished(async () => {
    await execa('tmux', ['-L', socket, 'kill-server'], { reject: false, stdin: 'ignore' });
  });
  const screen = async () => (await tmux('capture-pane', '-p', '-t', 'run')).stdout.split('\n').map((l) => l.trimEnd());
  return {
    screen,
    resize: async (columns, rows) => {
      await tmux('resize-window', '-t', 'run', '-x', String(columns), '-y', String(rows));
    },
    sendKeys: async (...keys) => {
      await tmux('send-keys', '-t', 'run', ...keys);
    },
    waitFor: async (done, what, timeoutMs = 300_000) => {
      const until = Date.now() + timeoutMs;
      let last: string[] = [];
      while (Date.now() < until) {
        last = await screen();
        if (done(last)) return last;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error(`timed out waiting for ${what}; the screen:\n${last.join('\n')}`);
    },
    written: async () => {
      const raw = await readFile(log, 'utf8').catch(() => '');
      // CSI and OSC sequences out, carriage returns as line ends.
      return raw.replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '').replace(/\x1b\][^\x07]*\x07/g, '').replace(/\x1b[()][0-9A-Za-z]/g, '').replace(/\r\n?/g, '\n');
    },
    raw: () => readFile(log, 'utf8').catch(() => ''),
    exitCode: (lines) => {
      const m = lines.map((l) => /^\[multiarch exited (\d+)\]$/.exec(l)).find(Boolean);
      return m ? Number(m[1]) : undefined;
    },
  };
}
