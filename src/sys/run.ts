/**
 * The one place multiarch starts processes. argv arrays only (no shell, nothing to quote), the
 * caller's AbortSignal reaches the child, output can be streamed line by line, and a failure is a
 * result the caller turns into a MultiarchError with the last lines as details. Built on
 * node:child_process itself: execa cost ≈0.1 s of CPU on the cold path (loading it, and ≈10 ms of
 * the event loop per process it starts — the docker probes run while the config loads), for
 * features multiarch does not use.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import process from 'node:process';
import { StringDecoder } from 'node:string_decoder';

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
/** After SIGTERM (a timeout, a cancel), how long a process gets before SIGKILL. */
const FORCE_KILL_AFTER_MS = 5000;

export async function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const command = [file, ...args].join(' ');
  const tail: string[] = [];
  const remember = (line: string, stream: 'stdout' | 'stderr') => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    options.onLine?.(line, stream);
  };
  const stdoutText = options.binary ? undefined : lineReader('stdout', remember);
  const stderrText = lineReader('stderr', remember);
  const stdoutChunks: Buffer[] = [];
  const child = start(file, args, options, options.input !== undefined);
  if (options.input !== undefined) {
    // A process that exits without reading its input closes the pipe: that is its business.
    child.stdin?.on('error', () => {});
    child.stdin?.end(options.input);
  }
  child.stdout?.on('data', (chunk: Buffer) => (stdoutText ? stdoutText.push(chunk) : stdoutChunks.push(chunk)));
  child.stderr?.on('data', (chunk: Buffer) => stderrText.push(chunk));
  const stop = stopper(child, options);
  const ended = await ending(child);
  stop.clear();
  const stdout = stdoutText ? stdoutText.end() : '';
  const stderr = stderrText.end();
  const exitCode = ended.code ?? (stop.canceled() ? 130 : 1);
  return {
    command,
    exitCode,
    stdout,
    stderr,
    ...(options.binary ? { stdoutBuffer: Buffer.concat(stdoutChunks) } : {}),
    canceled: stop.canceled(),
    timedOut: stop.timedOut(),
    ...(ended.error?.code === 'ENOENT' || ended.error?.code === 'EACCES' ? { notFound: true } : {}),
    tail: tail.length ? tail : [...stderr.split('\n').slice(-TAIL_LINES)],
  };
}

function start(file: string, args: readonly string[], options: Pick<RunOptions, 'cwd' | 'env'>, input: boolean): ChildProcess {
  return spawn(file, [...args], {
    ...(options.cwd ? { cwd: options.cwd } : {}),
    env: { ...process.env, ...options.env },
    stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
}

/** How a process ended: its exit code (null when a signal ended it), or why it could not start. */
function ending(child: ChildProcess): Promise<{ code: number | null; error?: NodeJS.ErrnoException }> {
  return new Promise((resolve) => {
    let error: NodeJS.ErrnoException | undefined;
    child.once('error', (e: NodeJS.ErrnoException) => {
      error = e;
      // A process that never started emits no 'close' when it has no pipes to close.
      if (child.pid === undefined) resolve({ code: null, error });
    });
    child.once('close', (code) => resolve({ code, ...(error ? { error } : {}) }));
  });
}

/** SIGTERM on timeout or cancel, SIGKILL if the process outlives it by FORCE_KILL_AFTER_MS. */
function stopper(child: ChildProcess, options: Pick<RunOptions, 'signal' | 'timeoutMs'>) {
  let canceled = false;
  let timedOut = false;
  let forceKill: NodeJS.Timeout | undefined;
  const terminate = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    forceKill ??= setTimeout(() => child.kill('SIGKILL'), FORCE_KILL_AFTER_MS);
    forceKill.unref();
  };
  const onAbort = () => {
    canceled = true;
    terminate();
  };
  const timer = options.timeoutMs
    ? setTimeout(() => {
        timedOut = true;
        terminate();
      }, options.timeoutMs)
    : undefined;
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  return {
    canceled: () => canceled,
    timedOut: () => timedOut,
    clear: () => {
      if (timer) clearTimeout(timer);
      if (forceKill) clearTimeout(forceKill);
      options.signal?.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * A stream's text, told line by line as it arrives (UTF-8 split across chunks kept whole), and
 * the whole of it at the end without its final newline.
 */
function lineReader(stream: 'stdout' | 'stderr', onLine: (line: string, stream: 'stdout' | 'stderr') => void) {
  const decoder = new StringDecoder('utf8');
  let text = '';
  let pending = '';
  const take = (chunk: string) => {
    text += chunk;
    pending += chunk;
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      onLine(pending.slice(0, newline).replace(/\r$/, ''), stream);
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
  };
  return {
    push: (chunk: Buffer) => take(decoder.write(chunk)),
    end: (): string => {
      take(decoder.end());
      if (pending) onLine(pending, stream);
      pending = '';
      return stripFinalNewline(text);
    },
  };
}

function stripFinalNewline(text: string): string {
  return text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
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
  const child = start(file, args, options, false);
  const stderr: Buffer[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  const stop = stopper(child, options);
  return {
    // Paused until the caller reads it: nothing is lost before a consumer is attached.
    stdout: child.stdout!,
    done: ending(child).then((ended) => {
      stop.clear();
      return {
        exitCode: ended.code ?? (stop.canceled() ? 130 : 1),
        stderr: stripFinalNewline(Buffer.concat(stderr).toString('utf8')),
        canceled: stop.canceled(),
      };
    }),
  };
}
