import { describe, expect, it } from 'vitest';
import { canRun, run, runStreaming } from '../../../src/sys/run.js';

const sh = (script: string, options: Parameters<typeof run>[2] = {}) => run('sh', ['-c', script], options);

describe('run', () => {
  it('returns exit code, stdout and stderr without the final newline', async () => {
    const r = await sh('echo out; echo err >&2; exit 0');
    expect(r).toMatchObject({ command: 'sh -c echo out; echo err >&2; exit 0', exitCode: 0, stdout: 'out', stderr: 'err', canceled: false, timedOut: false });
  });

  it('reports a failing exit code as a result, not a throw', async () => {
    const r = await sh('echo "no such file" >&2; exit 3');
    expect(r.exitCode).toBe(3);
    expect(r.tail).toEqual(['no such file']);
  });

  it('streams every line to onLine in the order the process wrote them, with its stream', async () => {
    const lines: Array<[string, string]> = [];
    const r = await sh('echo one; sleep 0.05; echo two >&2; sleep 0.05; echo three', { onLine: (line, stream) => lines.push([line, stream]) });
    expect(lines).toEqual([
      ['one', 'stdout'],
      ['two', 'stderr'],
      ['three', 'stdout'],
    ]);
    expect(r.tail).toEqual(['one', 'two', 'three']);
    expect(r.stdout).toBe('one\nthree');
  });

  it('keeps only the last 30 lines in the tail', async () => {
    const r = await sh('i=1; while [ $i -le 45 ]; do echo "line $i"; i=$((i+1)); done');
    expect(r.tail).toHaveLength(30);
    expect(r.tail[0]).toBe('line 16');
    expect(r.tail.at(-1)).toBe('line 45');
    expect(r.stdout.split('\n')).toHaveLength(45);
  });

  it('passes input on stdin, env on top of the inherited environment, and cwd', async () => {
    const r = await sh('read -r x; echo "$x $GREETING $(pwd)"', { input: 'hello\n', env: { GREETING: 'world' }, cwd: '/' });
    expect(r.stdout).toBe('hello world /');
    expect((await sh('echo "${PATH:+has-path}"', { env: { GREETING: 'x' } })).stdout).toBe('has-path');
  });

  it('has no stdin unless given input', async () => {
    expect((await sh('cat; echo done')).stdout).toBe('done');
  });

  it('stops a process that runs past its timeout', async () => {
    const started = Date.now();
    const r = await sh('echo started; exec sleep 10', { timeoutMs: 200 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).not.toBe(0);
    expect(r.tail).toEqual(['started']);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stops a process when the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const lines: string[] = [];
    const r = await sh('echo ready; exec sleep 10', {
      signal: controller.signal,
      onLine: (line) => {
        lines.push(line);
        controller.abort();
      },
    });
    expect(lines).toEqual(['ready']);
    expect(r.canceled).toBe(true);
    expect(r.exitCode).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('keeps binary stdout as a buffer', async () => {
    const r = await sh("printf '\\001\\377\\000x'", { binary: true });
    expect(r.stdout).toBe('');
    expect([...r.stdoutBuffer!]).toEqual([1, 255, 0, 120]);
  });

  it('does not throw for a program that does not exist', async () => {
    const r = await run('multiarch-no-such-program', []);
    expect(r.exitCode).not.toBe(0);
    expect(await canRun('multiarch-no-such-program', [])).toBe(false);
    expect(await canRun('sh', ['-c', 'exit 0'])).toBe(true);
    expect(await canRun('sh', ['-c', 'exit 1'])).toBe(false);
  });
});

describe('runStreaming', () => {
  it('streams stdout to the caller and settles with the exit code and stderr', async () => {
    const child = await runStreaming('sh', ['-c', 'i=0; while [ $i -lt 2000 ]; do echo "chunk $i"; i=$((i+1)); done; echo warn >&2; exit 4']);
    const chunks: Buffer[] = [];
    for await (const c of child.stdout as AsyncIterable<Buffer>) chunks.push(c);
    const text = Buffer.concat(chunks).toString();
    expect(text.split('\n').filter(Boolean)).toHaveLength(2000);
    expect(text.startsWith('chunk 0\nchunk 1\n')).toBe(true);
    expect(await child.done).toEqual({ exitCode: 4, stderr: 'warn', canceled: false });
  });

  it('passes env and can be canceled', async () => {
    const controller = new AbortController();
    const child = await runStreaming('sh', ['-c', 'echo "$WHO"; exec sleep 10'], { env: { WHO: 'streamer' }, signal: controller.signal });
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString())));
    expect(first).toBe('streamer\n');
    controller.abort();
    child.stdout.resume();
    const done = await child.done;
    expect(done.canceled).toBe(true);
    expect(done.exitCode).not.toBe(0);
  });
});
