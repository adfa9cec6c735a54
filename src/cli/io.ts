/** The process as the commands see it: passed in, so commands run in tests without a real TTY. */
export interface CliIo {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTTY: boolean;
  /** The terminal's width, when stdout is one. */
  readonly columns?: number;
  /** Aborted on Ctrl-C. */
  readonly signal: AbortSignal;
}
