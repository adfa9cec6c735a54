/**
 * The one place multiarch starts processes. argv arrays only (no shell, nothing to quote), the
 * caller's AbortSignal reaches the child, output can be streamed line by line, and a failure is a
 * result the caller turns into a MultiarchError with the last lines as details. execa is loaded on
 * the first process started: a run that starts none (a no-op apply) does not pay for its ~300 kB.
 */
import process from 'node:process';

export interface RunOptions {
  readonly cwd?: string;
  /** Added to the inherited environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly input?: string | Buffer;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** Called for every output line as it arrives. */
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Keep stdout as a Buffer (binary output); lines are not split then. */
  readonly binary?: boolean;
}

export interface RunResult {
  readonly command: string;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly stdoutBuffer?: Buffer;
  readonly canceled: boolean;
  readonly timedOut: boolean;
  /** The program could not be started: it is not on PATH (or not executable). */
  readonly notFound?: boolean;
  /** The last lines of stdout and stderr interleaved as they came, for error details. */
  readonly tail: readonly string[];
}

const TAIL_LINES = 30;

export async function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const tail: string[] = [];
  const remember = (line: string, stream: 'stdout' | 'stderr') => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    options.onLine?.(line, stream);
  };
  const lineSink = (stream: 'stdout' | 'stderr') =>
    function* (line: unknown) {
      remember(String(line), stream);
      yield line;
    };
  const { execa } = await import('execa');
  const result = await execa(file, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
    cancelSignal: options.signal,
    ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
    reject: false,
    stripFinalNewline: true,
    ...(options.binary
      ? { encoding: 'buffer' as const, stderr: lineSink('stderr') }
      : { stdout: lineSink('stdout'), stderr: lineSink('stderr') }),
    forceKillAfterDelay: 5000,
  });
  const stdoutBuffer = options.binary ? Buffer.from(result.stdout as unknown as Uint8Array) : undefined;
  return {
    command: [file, ...args].join(' '),
    exitCode: result.exitCode ?? (result.isCanceled ? 130 : 1),
    stdout: options.binary ? '' : String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    ...(stdoutBuffer ? { stdoutBuffer } : {}),
    canceled: Boolean(result.isCanceled),
    timedOut: Boolean(result.timedOut),
    ...((result as { code?: unknown }).code === 'ENOENT' || (result as { code?: unknown }).code === 'EACCES' ? { notFound: true } : {}),
    tail: tail.length ? tail : [...String(result.stderr ?? '').split('\n').slice(-TAIL_LINES)],
  };
}

/** Whether a program can be started at all (it exists and is executable). */
export async function canRun(file: string, args: readonly string[], options: RunOptions = {}): Promise<boolean> {
  try {
    const r = await run(file, args, { ...options, timeoutMs: options.timeoutMs ?? 15000 });
    return r.exitCode === 0;
  } catch {
    return false;
  }
}

export interface StreamingRun {
  /** The child's stdout, to be consumed by the caller. */
  readonly stdout: NodeJS.ReadableStream;
  /** Settles when the process ends; exitCode 0 means success. */
  readonly done: Promise<{ exitCode: number; stderr: string; canceled: boolean }>;
}

/** For large binary output (`docker save`): stdout is streamed, not buffered. */
export async function runStreaming(file: string, args: readonly string[], options: Pick<RunOptions, 'env' | 'signal'> = {}): Promise<StreamingRun> {
  const { execa } = await import('execa');
  const child = execa(file, args, {
    env: { ...process.env, ...options.env },
    stdin: 'ignore',
    buffer: { stdout: false, stderr: true },
    encoding: 'buffer',
    cancelSignal: options.signal,
    reject: false,
    forceKillAfterDelay: 5000,
  });
  return {
    stdout: child.stdout,
    done: child.then((r) => ({
      exitCode: r.exitCode ?? (r.isCanceled ? 130 : 1),
      stderr: Buffer.from(r.stderr as unknown as Uint8Array).toString('utf8'),
      canceled: Boolean(r.isCanceled),
    })),
  };
}
