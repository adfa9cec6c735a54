/**
 * zx's `$` for an image's prepare step: working directory = the image's context, every output line
 * to the node's log (and `$ command` before it), and cancellation that reaches everything the
 * command started — each command runs in its own process group, which is killed as a whole when
 * the signal aborts (killing only the shell would leave a `go build` it started running). zx is
 * loaded on first use: most runs have no prepare step. Edge: spawns processes.
 */
import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import process from 'node:process';
import type { Shell } from 'zx';

export interface ZxShellOptions {
  readonly cwd: string;
  readonly signal: AbortSignal;
  readonly onLine: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface ZxShell {
  readonly $: Shell;
  /** Flush partial lines and stop listening for the signal. */
  close(): void;
}

export async function createZxShell(options: ZxShellOptions): Promise<ZxShell> {
  const zx = await import('zx');
  const children = new Set<ChildProcess>();
  const spawn = ((command: string, args: readonly string[], spawnOptions: Record<string, unknown>) => {
    const child = nodeSpawn(command, args, { ...spawnOptions, detached: true });
    children.add(child);
    child.once('exit', () => children.delete(child));
    return child;
  }) as unknown as typeof nodeSpawn;
  const killAll = () => {
    for (const child of children) {
      if (child.pid === undefined) continue;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
  };
  options.signal.addEventListener('abort', killAll, { once: true });
  const splitter = createLineSplitter(options.onLine);
  const $ = zx.$({
    cwd: options.cwd,
    signal: options.signal,
    spawn,
    log: ((entry: { kind: string; cmd?: string; data?: Buffer | string; id?: string }) => {
      if (entry.kind === 'cmd' && entry.cmd) entry.cmd.split('\n').forEach((line, i) => options.onLine(`${i === 0 ? '$' : '>'} ${line}`, 'stdout'));
      else if ((entry.kind === 'stdout' || entry.kind === 'stderr') && entry.data !== undefined) splitter.push(entry.id ?? '', entry.kind, entry.data);
    }) as never,
  });
  return {
    $,
    close() {
      splitter.flush();
      options.signal.removeEventListener('abort', killAll);
    },
  };
}

/** Output chunks → whole lines, per process and stream (commands may run concurrently). */
function createLineSplitter(onLine: ZxShellOptions['onLine']) {
  const partial = new Map<string, string>();
  return {
    push(id: string, stream: 'stdout' | 'stderr', data: Buffer | string) {
      const key = `${id}\u0000${stream}`;
      const text = (partial.get(key) ?? '') + data.toString();
      const lines = text.split(/\r?\n/);
      partial.set(key, lines.pop() ?? '');
      for (const line of lines) onLine(line, stream);
    },
    flush() {
      for (const [key, rest] of partial) if (rest) onLine(rest, key.endsWith('stderr') ? 'stderr' : 'stdout');
      partial.clear();
    },
  };
}
